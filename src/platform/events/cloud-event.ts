/**
 * A CloudEvents 1.0 event in structured JSON mode (https://github.com/cloudevents/spec, v1.0.2).
 * `sequence` is the CloudEvents sequence extension: the event's position in its subject's stream,
 * so a receiver can tell order and gaps; `tenantid` is a Steward extension attribute.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  tenantid: string;
  sequence: string;
  data: Record<string, unknown>;
}

/** The stored fields of an outbox row that make up its envelope. */
export interface OutboxEventFields {
  id: string;
  tenant_id: string;
  type: string;
  source: string;
  subject: string | null;
  stream_sequence: number;
  occurred_at: Date;
  data: Record<string, unknown>;
}

export const CLOUD_EVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/**
 * A webhook that opted into batches gets several events of one subject per request, in order, in
 * the CloudEvents JSON batch format (a JSON array of structured events, CloudEvents JSON format
 * spec §4). Signed like a single event (Standard Webhooks); receivers de-duplicate per event id.
 */
export const CLOUD_EVENTS_BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json; charset=utf-8';

/** The `webhook-id` of a batch: its first event and size, the same on every retry of that batch. */
export function webhookBatchId(firstEventId: string, size: number): string {
  return `batch_${firstEventId}_${size}`;
}

/** The envelope of an outbox event; the same bytes go to every destination. */
export function toCloudEvent(event: OutboxEventFields): CloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    // A URI-reference naming the producer: the tenant and the domain that published it.
    source: `/steward/tenants/${event.tenant_id}/${event.source}`,
    type: event.type,
    ...(event.subject !== null ? { subject: event.subject } : {}),
    time: event.occurred_at.toISOString(),
    datacontenttype: 'application/json',
    tenantid: event.tenant_id,
    sequence: String(event.stream_sequence),
    data: event.data,
  };
}
