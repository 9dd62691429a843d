import { STEWARD_VERSION } from '../../kernel/version.ts';
import { CLOUD_EVENTS_CONTENT_TYPE } from './cloud-event.ts';
import { webhookSignatureHeaders } from './webhook-signature.ts';

/**
 * POSTs one CloudEvent (structured mode) to a webhook, signed per Standard Webhooks. Any 2xx is delivered; anything else,
 * a network error or a timeout throws, and the dispatcher retries.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  eventId: string,
  body: string,
  timeoutMs: number,
): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': CLOUD_EVENTS_CONTENT_TYPE,
        'user-agent': `Steward/${STEWARD_VERSION}`,
        ...webhookSignatureHeaders(secret, eventId, body, timestamp),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new WebhookDeliveryError(
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : `request failed${cause ? ` (${cause})` : ''}`,
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
