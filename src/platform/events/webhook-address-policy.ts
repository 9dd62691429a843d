import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';

/**
 * Where webhook receivers may be. By default only public unicast addresses: a webhook URL is
 * written by a tenant's staff, and one pointing at the cloud's metadata service
 * (169.254.169.254), Steward's own database ([::1]:5432) or the private network would make
 * Steward a proxy into places its users cannot reach (SSRF). `allowedNetworks` (CIDRs from
 * `events.webhookAllowedNetworks`) opens chosen internal ranges, e.g. a receiver in the same VPC.
 */
export interface WebhookAddressPolicy {
  allowedNetworks: readonly string[];
}

/** Why an address may not receive webhooks (its range), or undefined when it may. */
export function refusedRange(address: string, policy: WebhookAddressPolicy): string | undefined {
  let parsed = ipaddr.parse(address);
  // ::ffff:127.0.0.1 is 127.0.0.1.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  const allowed = policy.allowedNetworks.some((cidr) => {
    const [network, bits] = ipaddr.parseCIDR(cidr);
    return network.kind() === parsed.kind() && parsed.match(network, bits);
  });
  return allowed ? undefined : range;
}

/** The CIDR notation check for the config schema: `10.0.0.0/8`, `fd00::/8`, or one address. */
export function isNetwork(text: string): boolean {
  try {
    ipaddr.parseCIDR(text.includes('/') ? text : `${text}/${isIP(text) === 6 ? 128 : 32}`);
    return true;
  } catch {
    return false;
  }
}

/** A config's networks in CIDR form (a bare address is its own /32 or /128). */
export function networksOf(allowed: readonly string[]): WebhookAddressPolicy {
  return { allowedNetworks: allowed.map((n) => (n.includes('/') ? n : `${n}/${isIP(n) === 6 ? 128 : 32}`)) };
}

/**
 * At registration: every address the URL's host resolves to must be allowed, so that a mistake is
 * reported when it is made. The check is repeated at each connection (`guardedLookup`), since
 * what a name resolves to can change after it was checked (DNS rebinding).
 */
export async function checkWebhookHost(url: URL, policy: WebhookAddressPolicy): Promise<void> {
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dnsLookupAsync(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (error) {
      throw new InvalidInput(
        'events.webhook_unresolvable',
        `The webhook host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'DNS error'}). Check the URL.`,
        { host },
      );
    }
  }
  for (const address of addresses) {
    const range = refusedRange(address, policy);
    if (range) throw internalAddress(host, address, range);
  }
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export function internalAddress(host: string, address: string, range: string): InvalidInput {
  return new InvalidInput(
    'events.webhook_internal_address',
    `Webhook receivers must be on public addresses: ${host === address ? host : `${host} (${address})`} is ${describeRange(range)}. To deliver there on purpose, add its network to events.webhookAllowedNetworks.`,
    { host, range },
  );
}

/** The error code a refused connection's cause carries. */
export const INTERNAL_ADDRESS_CODE = 'EWEBHOOKINTERNAL';

/**
 * A `lookup` for the socket that connects to a webhook: it resolves the name, refuses internal
 * addresses and hands the socket exactly the addresses it checked, so nothing can be resolved
 * again in between (DNS rebinding).
 */
export function guardedLookup(policy: WebhookAddressPolicy) {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
      const usable = addresses.filter((a) => !family || a.family === family);
      for (const { address } of usable) {
        const range = refusedRange(address, policy);
        if (range) {
          const refused = internalAddress(hostname, address, range);
          return callback(Object.assign(new Error(refused.message), { code: INTERNAL_ADDRESS_CODE }), []);
        }
      }
      if (usable.length === 0)
        return callback(
          Object.assign(new Error(`${hostname} has no usable address`), { code: 'ENOTFOUND' }),
          [],
        );
      if (options.all) return callback(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: 'a loopback address',
    private: 'a private address',
    linkLocal: 'a link-local address (cloud metadata services live there)',
    uniqueLocal: 'a private (unique local) address',
    unspecified: 'the unspecified address',
    carrierGradeNat: 'a carrier-grade NAT address',
    multicast: 'a multicast address',
    broadcast: 'the broadcast address',
    reserved: 'a reserved address',
  };
  return names[range] ?? `in a special-purpose range (${range})`;
}
