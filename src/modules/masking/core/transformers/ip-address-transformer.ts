import { isIPv4, isIPv6 } from 'node:net';
import type { ColumnFacts, MaskValue, TransformerDefinition, TransformerTools } from '../transformer.ts';
import { attemptPurpose, firstDifferent } from './first-different.ts';

/**
 * An IP address of the same family (and the same `/prefix` suffix on inet values) from the keyed
 * digest. IPv4 results avoid 0, 10, 127 and the multicast/reserved space above 223.
 */
export const ipAddressTransformer: TransformerDefinition = {
  name: 'ip_address',
  leakCheck: 'anywhere',
  families: ['text', 'other'],
  create(_column: ColumnFacts, tools: TransformerTools): MaskValue {
    return (value) => {
      const [address = '', prefix] = value.split('/');
      const suffix = prefix === undefined ? '' : `/${prefix}`;
      if (!isIPv4(address) && !isIPv6(address)) return null;
      return firstDifferent(value, (attempt) => {
        const digest = tools.digest(attemptPurpose('ip_address', attempt), address.toLowerCase());
        if (isIPv4(address)) {
          const first = [1, 11, 128, 192][digest[0]! % 4]! + (digest[1]! % 8);
          return `${first}.${digest[2]}.${digest[3]}.${(digest[4]! % 254) + 1}${suffix}`;
        }
        const groups = Array.from({ length: 8 }, (_, i) => digest.readUInt16BE(i * 2).toString(16));
        groups[0] = '2001';
        return `${groups.join(':')}${suffix}`;
      });
    };
  },
};
