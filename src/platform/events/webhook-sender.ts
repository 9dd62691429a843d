import { isIP } from 'node:net';
import type { Agent, Response } from 'undici';
import { loadOnFirstUse } from '../../kernel/runtime/load-on-first-use.ts';
import { STEWARD_VERSION } from '../../kernel/version.ts';
import {
  guardedLookup,
  hostOf,
  INTERNAL_ADDRESS_CODE,
  internalAddress,
  refusedRange,
  type WebhookAddressPolicy,
} from './webhook-address-policy.ts';
import { CLOUD_EVENTS_CONTENT_TYPE } from './cloud-event.ts';
import { webhookSignatureHeaders } from './webhook-signature.ts';

/**
 * POSTs one CloudEvent (structured mode), or a batch of them (`contentType` the batch's), to a
 * webhook, signed per Standard Webhooks with `eventId` as webhook-id. Any 2xx is delivered;
 * anything else, a network error or a timeout throws, and the dispatcher retries.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  eventId: string,
  body: string,
  timeoutMs: number,
  policy: WebhookAddressPolicy,
  contentType: string = CLOUD_EVENTS_CONTENT_TYPE,
): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  // An address in the URL is checked here; a name, by the connection's own lookup.
  const host = hostOf(new URL(url));
  const literalRange = isIP(host) ? refusedRange(host, policy) : undefined;
  if (literalRange) throw new WebhookDeliveryError(internalAddress(host, host, literalRange).message);
  let response: Response;
  try {
    response = await loadUndici().fetch(url, {
      dispatcher: agentFor(policy),
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': `Steward/${STEWARD_VERSION}`,
        ...webhookSignatureHeaders(secret, eventId, body, timestamp),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === INTERNAL_ADDRESS_CODE)
      throw new WebhookDeliveryError(cause.message ?? 'internal address');
    throw new WebhookDeliveryError(
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : `request failed${cause?.code ? ` (${cause.code})` : ''}`,
    );
  }
  // The body is not needed, but reading it lets the connection be reused.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status > 299)
    throw new WebhookDeliveryError(`receiver answered HTTP ${response.status}`);
}

/** A failed attempt; the message is stored as the delivery's last error (no URL, no body). */
export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
}

// undici (for its pinned-address agent) loads with the first delivery: ~7 MB a process without webhooks need not hold.
const loadUndici = loadOnFirstUse<typeof import('undici')>('undici');

/** One connection pool per address policy (in practice one per process), so connections are reused. */
const agents = new Map<string, Agent>();

function agentFor(policy: WebhookAddressPolicy): Agent {
  const key = policy.allowedNetworks.join(',');
  let agent = agents.get(key);
  if (!agent) {
    agent = new (loadUndici().Agent)({ connect: { lookup: guardedLookup(policy) } });
    agents.set(key, agent);
  }
  return agent;
}
