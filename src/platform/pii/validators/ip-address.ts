import { isIP } from 'node:net';

/** 4 or 6 when the whole value is an IP address, otherwise undefined. */
export function ipVersion(value: string): 4 | 6 | undefined {
  const version = isIP(value);
  return version === 4 || version === 6 ? version : undefined;
}

/** Loopback, unspecified and documentation-only addresses identify no one's device. */
export function isNonPersonalIp(value: string): boolean {
  return (
    value === '0.0.0.0' ||
    value === '::' ||
    value === '::1' ||
    value.startsWith('127.') ||
    value === '255.255.255.255'
  );
}
