import { randomBytes, randomUUID } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { EventsDatabase } from './store/events-database.ts';
import { InvalidInput, NotFound } from '../../kernel/errors/domain-error.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { EventWebhooksTable } from './store/events-tables.ts';
import type { DbHandle } from '../../kernel/database/db-handle.ts';
import { checkWebhookHost, type WebhookAddressPolicy } from './webhook-address-policy.ts';

/** Who changes webhooks, as the audit log records them. */
export interface ChangeActor {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string;
  tenantId: string;
}

export interface WebhookInput {
  url: string;
  description?: string;
  /** Type patterns; `consent.*` matches every consent event, `*` everything. Default `['*']`. */
  eventTypes?: string[];
  active?: boolean;
  /**
   * Opt-in: up to this many events of one subject in one request, as a CloudEvents JSON batch
   * (`application/cloudevents-batch+json`), in order. Default 1: one event per request.
   */
  batchMax?: number;
}

/** A webhook as the API shows it: the signing secret only right after creation or rotation. */
export interface Webhook {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  active: boolean;
  batchMax: number;
  createdAt: string;
  updatedAt: string;
  secret?: string;
}

const TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$/;

/**
 * Registers a webhook with a new signing secret, sealed in the tenant's secret store
 * (`secret:webhook.<id>.signing`) in the same transaction as the row; the secret is returned once.
 * With an address policy (the API passes `events.webhookAllowedNetworks`), a URL whose host is or
 * resolves to an internal address is refused; deliveries check again at every connection.
 */
export async function createWebhook(
  db: DbHandle<EventsDatabase>,
  secrets: SecretStore,
  actor: ChangeActor,
  input: WebhookInput,
  policy?: WebhookAddressPolicy,
): Promise<Webhook> {
  const values = validated(input);
  if (policy) await checkWebhookHost(new URL(values.url), policy);
  const id = randomUUID();
  const secret = newSecret();
  return db.transaction().execute(async (trx) => {
    const secretRef = await sealSigningSecret(trx, secrets, actor, id, secret);
    const row = await trx
      .insertInto('event_webhooks')
      .values({
        id,
        tenant_id: actor.tenantId,
        url: values.url,
        description: values.description ?? '',
        event_types: JSON.stringify(values.eventTypes ?? ['*']),
        secret_ref: secretRef,
        active: values.active ?? true,
        batch_max: values.batchMax ?? 1,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'events.webhook.created', id, { eventTypes: row.event_types });
    return { ...present(row), secret };
  });
}

export async function listWebhooks(db: DbHandle<EventsDatabase>, tenantId: string): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('event_webhooks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
  return rows.map(present);
}

export async function getWebhook(
  db: DbHandle<EventsDatabase>,
  tenantId: string,
  id: string,
): Promise<Webhook> {
  return present(await findWebhook(db, tenantId, id));
}

/** Changes url, description, types or active; `rotateSecret` seals a new signing secret (returned once). */
export async function updateWebhook(
  db: DbHandle<EventsDatabase>,
  secrets: SecretStore,
  actor: ChangeActor,
  id: string,
  input: Partial<WebhookInput> & { rotateSecret?: boolean },
  policy?: WebhookAddressPolicy,
): Promise<Webhook> {
  const values = validated({ url: input.url ?? 'https://placeholder.invalid', ...input });
  if (policy && input.url !== undefined) await checkWebhookHost(new URL(values.url), policy);
  return db.transaction().execute(async (trx) => {
    await findWebhook(trx, actor.tenantId, id);
    const secret = input.rotateSecret ? newSecret() : undefined;
    const secretRef = secret ? await sealSigningSecret(trx, secrets, actor, id, secret) : undefined;
    const row = await trx
      .updateTable('event_webhooks')
      .set({
        ...(input.url !== undefined ? { url: values.url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes !== undefined ? { event_types: JSON.stringify(values.eventTypes) } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.batchMax !== undefined ? { batch_max: input.batchMax } : {}),
        ...(secretRef ? { secret_ref: secretRef } : {}),
        // Also tells dispatchers that a secret they resolved earlier is no longer current.
        updated_at: new Date(),
      })
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, 'events.webhook.updated', id, {
      fields: Object.keys(input),
      rotatedSecret: Boolean(secret),
    });
    return { ...present(row), ...(secret ? { secret } : {}) };
  });
}

/** Removes the webhook and its undelivered deliveries (the receiver asked to stop). */
export async function deleteWebhook(
  db: DbHandle<EventsDatabase>,
  secrets: SecretStore,
  actor: ChangeActor,
  id: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findWebhook(trx, actor.tenantId, id);
    await trx
      .deleteFrom('event_webhooks')
      .where('tenant_id', '=', actor.tenantId)
      .where('id', '=', id)
      .execute();
    if (row.secret_ref.startsWith('secret:')) {
      await secrets.remove({
        tenantId: actor.tenantId,
        name: row.secret_ref.slice('secret:'.length),
        actor: { kind: actor.kind, id: actor.id },
        within: trx,
      });
    }
    await audit(trx, actor, 'events.webhook.deleted', id, {});
  });
}

/**
 * Seals signing secrets stored in plain text before they moved to the secret store (migration
 * 202611291619) and replaces them by their references. Idempotent; the dispatcher runs it once.
 * Returns how many it sealed.
 */
export async function sealPlaintextWebhookSecrets(
  db: DbHandle<EventsDatabase>,
  secrets: SecretStore,
): Promise<number> {
  const plain = await db
    .selectFrom('event_webhooks')
    .select(['id', 'tenant_id', 'secret_ref'])
    .where('secret_ref', 'not like', 'secret:%')
    .execute();
  for (const row of plain) {
    await db.transaction().execute(async (trx) => {
      const actor: ChangeActor = { kind: 'system', id: 'steward-events', tenantId: row.tenant_id };
      const secretRef = await sealSigningSecret(trx, secrets, actor, row.id, row.secret_ref);
      await trx
        .updateTable('event_webhooks')
        .set({ secret_ref: secretRef })
        .where('id', '=', row.id)
        .where('secret_ref', '=', row.secret_ref)
        .execute();
    });
  }
  return plain.length;
}

/** The store's name of a webhook's signing secret. */
export function webhookSecretName(webhookId: string): string {
  return `webhook.${webhookId}.signing`;
}

async function sealSigningSecret(
  trx: Transaction<EventsDatabase>,
  secrets: SecretStore,
  actor: ChangeActor,
  webhookId: string,
  secret: string,
): Promise<string> {
  const name = webhookSecretName(webhookId);
  await secrets.put({
    tenantId: actor.tenantId,
    name,
    value: secret,
    actor: { kind: actor.kind, id: actor.id },
    within: trx,
  });
  return `secret:${name}`;
}

/** Whether a webhook subscribed with these patterns receives an event of this type. */
export function webhookWantsType(patterns: string[], type: string): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === type ||
      (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}

async function findWebhook(
  db: DbHandle<EventsDatabase>,
  tenantId: string,
  id: string,
): Promise<Selectable<EventWebhooksTable>> {
  const row = await db
    .selectFrom('event_webhooks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row)
    throw new NotFound(
      'events.webhook_not_found',
      `No webhook ${id} in this tenant. List them with GET /v1/webhooks.`,
      { id },
    );
  return row;
}

function validated(input: WebhookInput): WebhookInput {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new InvalidInput(
      'events.webhook_bad_url',
      `"${input.url}" is not a URL. Give an absolute http:// or https:// URL.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInput(
      'events.webhook_bad_url',
      `Webhook URLs must use http or https, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new InvalidInput(
      'events.webhook_credentials_in_url',
      'Put no credentials in the webhook URL; verify the Steward-Signature header instead.',
    );
  }
  const bad = input.eventTypes?.find((pattern) => !TYPE_PATTERN.test(pattern));
  if (bad !== undefined) {
    throw new InvalidInput(
      'events.webhook_bad_type',
      `Event type pattern "${bad}" is not valid. Use a type (consent.withdrawn), a prefix (consent.*) or *.`,
    );
  }
  if (
    input.batchMax !== undefined &&
    (!Number.isInteger(input.batchMax) || input.batchMax < 1 || input.batchMax > 1000)
  )
    throw new InvalidInput(
      'events.webhook_bad_batch',
      `batchMax ${input.batchMax} is not valid: give a whole number from 1 (one event per request) to 1000.`,
    );
  if (input.eventTypes?.length === 0)
    throw new InvalidInput(
      'events.webhook_no_types',
      'eventTypes is empty; give at least one pattern, or * for everything.',
    );
  return input;
}

/** Standard Webhooks' form: `whsec_` and the key in base64 (the standard alphabet stock verifiers decode). */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function present(row: Selectable<EventWebhooksTable>): Webhook {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    active: row.active,
    batchMax: row.batch_max,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function audit(
  trx: DbHandle<EventsDatabase>,
  actor: ChangeActor,
  action: string,
  id: string,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAuditEvent(trx, {
    tenantId: actor.tenantId,
    actor: { kind: actor.kind, id: actor.id },
    action,
    object: { type: 'webhook', id },
    outcome: 'success',
    details,
  });
}
