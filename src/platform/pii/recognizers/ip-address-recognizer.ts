import { ipVersion, isNonPersonalIp } from '../validators/ip-address.ts';
import type { Recognizer } from './recognizer.ts';

const IPV4_CANDIDATE = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const IPV6_CANDIDATE =
  /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:])/gi;

export const ipAddressRecognizer: Recognizer = {
  types: ['ip_address'],
  mayMatch: (text) => text.includes('.') || text.includes(':'),
  find(text, _scope, report) {
    for (const match of text.matchAll(IPV4_CANDIDATE)) {
      if (ipVersion(match[0]) !== 4) continue;
      const score = isNonPersonalIp(match[0]) ? 0.3 : 0.75;
      report({
        type: 'ip_address',
        start: match.index,
        end: match.index + match[0].length,
        score,
        detector: 'ip-node-net',
        subtype: 'v4',
      });
    }
    for (const match of text.matchAll(IPV6_CANDIDATE)) {
      const candidate = match[0];
      // "12:30:45" and "::" alone are times and separators; a real IPv6 has at least 3 colons or a "::".
      if (candidate.length < 6 || ipVersion(candidate) !== 6) continue;
      const score = isNonPersonalIp(candidate) ? 0.3 : 0.85;
      report({
        type: 'ip_address',
        start: match.index,
        end: match.index + candidate.length,
        score,
        detector: 'ip-node-net',
        subtype: 'v6',
      });
    }
  },
};
