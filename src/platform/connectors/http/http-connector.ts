import type { Agent, Response } from 'undici';
import type { HttpConnection, HttpEndpoint, HttpHeaderValue } from '../../datamap/datamap-types.ts';
import { Conflict, InvalidInput, Unavailable } from '../../../kernel/errors/domain-error.ts';
import { loadOnFirstUse } from '../../../kernel/runtime/load-on-first-use.ts';
import { resolveSecretReference } from '../../secrets/secret-reference.ts';
import { keyOf } from '../row-key.ts';
import type {
  Assignment,
  CollectionTarget,
  Connector,
  ConnectorReader,
  ConnectorTransaction,
  DeleteSpec,
  ReadSpec,
  Row,
  RowPredicate,
  UpdateSpec,
} from '../connector.ts';
import { renderBody, renderPath, renderText, valueAtPath, type TemplateContext } from './http-template.ts';

// undici loads when an HTTP system is first called (~7 MB in every process otherwise).
const loadUndici = loadOnFirstUse<typeof import('undici')>('undici');

/** Which call a predicate turns into: one per identity value, or one per row key. */
type Selector = { kind: 'identity'; identity: string; value: unknown } | { kind: 'row'; row: Row };

/**
 * A system reached through its API, with the per-identity read, delete and update endpoints the
 * data map declares. Each call has a timeout; credentials in headers are secret references resolved
 * per call. There are no transactions: calls are made one after another, and each is expected to
 * be idempotent (deleting what is gone answers one of `notFoundStatuses`).
 */
export function createHttpConnector(systemId: string, connection: HttpConnection): Connector {
  return new HttpConnector(systemId, connection);
}

class HttpConnector implements Connector {
  readonly kind = 'http' as const;
  readonly #systemId: string;
  readonly #connection: HttpConnection;
  #agent: Agent | undefined;

  constructor(systemId: string, connection: HttpConnection) {
    this.#systemId = systemId;
    this.#connection = connection;
  }

  async *read(spec: ReadSpec): AsyncIterable<Row[]> {
    const seen = new Set<string>();
    const { primaryKey } = spec.target;
    for (const selector of this.#selectors(spec.target, spec.where)) {
      if (selector.kind !== 'identity')
        this.#unsupported(spec.target, 'reading rows by key; declare a read endpoint per identity');
      const endpoint = this.#endpoint(spec.target, 'read', selector.identity);
      const body = await this.#call(endpoint, { identity: { [selector.identity]: selector.value } });
      if (body === undefined) continue;
      const found = valueAtPath(body, endpoint.rowsPath);
      const rows = (
        Array.isArray(found) ? found : found && typeof found === 'object' ? [found] : []
      ) as Row[];
      const page: Row[] = [];
      for (const row of rows) {
        // One row can be found through two identities; it is returned once.
        if (primaryKey.length) {
          const key = keyOf(primaryKey.map((c) => row[c]));
          if (seen.has(key)) continue;
          seen.add(key);
        }
        page.push(project(row, [...spec.columns, ...spec.keyset]));
      }
      if (page.length) yield page;
    }
  }

  async count(target: CollectionTarget, where: RowPredicate): Promise<number> {
    let total = 0;
    for await (const page of this.read({ target, columns: target.primaryKey, where, keyset: [] }))
      total += page.length;
    return total;
  }

  session<T>(work: (reader: ConnectorReader) => AsyncIterable<T>): AsyncIterable<T> {
    return work(this);
  }

  async transaction<T>(work: (tx: ConnectorTransaction) => Promise<T>): Promise<T> {
    return work({
      read: (spec) => this.read(spec),
      count: (target, where) => this.count(target, where),
      delete: (spec) => this.#delete(spec),
      update: (spec) => this.#update(spec),
    });
  }

  async close(): Promise<void> {
    await this.#agent?.close();
    this.#agent = undefined;
  }

  async #delete(spec: DeleteSpec): Promise<number> {
    let done = 0;
    for (const selector of this.#selectors(spec.target, spec.where)) {
      const endpoint = this.#endpoint(
        spec.target,
        'delete',
        selector.kind === 'row' ? 'row' : selector.identity,
      );
      const context =
        selector.kind === 'row'
          ? { row: selector.row }
          : { identity: { [selector.identity]: selector.value } };
      if ((await this.#call(endpoint, context)) !== undefined) done++;
    }
    return done;
  }

  async #update(spec: UpdateSpec): Promise<number> {
    let done = 0;
    for (const selector of this.#selectors(spec.target, spec.where)) {
      const endpoint = this.#endpoint(
        spec.target,
        'update',
        selector.kind === 'row' ? 'row' : selector.identity,
      );
      const values = Object.fromEntries(
        Object.entries(spec.set).map(([column, assignment]) => [column, valueFor(assignment, selector)]),
      );
      const context =
        selector.kind === 'row'
          ? { row: selector.row, value: values }
          : { identity: { [selector.identity]: selector.value }, value: values };
      if ((await this.#call(endpoint, context)) !== undefined) done++;
    }
    return done;
  }

  #selectors(target: CollectionTarget, where: RowPredicate): Selector[] {
    if (where.kind === 'any') return where.of.flatMap((part) => this.#selectors(target, part));
    if (where.kind === 'in') {
      const identities = target.http?.identityColumns ?? {};
      const identity = where.columns.length === 1 ? identities[where.columns[0]!] : undefined;
      if (identity) return where.tuples.map((tuple) => ({ kind: 'identity', identity, value: tuple[0] }));
      if (target.primaryKey.length && sameColumns(where.columns, target.primaryKey)) {
        return where.tuples.map((tuple) => ({
          kind: 'row',
          row: Object.fromEntries(where.columns.map((c, i) => [c, tuple[i]])),
        }));
      }
    }
    return this.#unsupported(
      target,
      'this selection; an HTTP collection is addressed by an identity or by its primary key',
    );
  }

  #endpoint(target: CollectionTarget, action: 'read' | 'delete' | 'update', key: string): HttpEndpoint {
    const endpoint = target.http?.endpoints[action][key];
    if (!endpoint) {
      throw new InvalidInput(
        'connector.http_endpoint_missing',
        `System ${this.#systemId}, collection ${target.name}: no ${action} endpoint for "${key}". Declare endpoints.${action}.${key} in the data map.`,
        { system: this.#systemId, collection: target.name, action, key },
      );
    }
    return endpoint;
  }

  /** One call; undefined when the answer is one of the endpoint's "nothing there" statuses. */
  async #call(endpoint: HttpEndpoint, context: TemplateContext): Promise<unknown> {
    const url = new URL(
      renderPath(endpoint.path, context).replace(/^\//, ''),
      this.#connection.baseUrl.replace(/\/?$/, '/'),
    );
    for (const [name, template] of Object.entries(endpoint.query))
      url.searchParams.set(name, renderText(template, context));
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries({ ...this.#connection.headers, ...endpoint.headers }))
      headers[name] = headerValue(value);
    let body: string | undefined;
    if (endpoint.body !== undefined) {
      body = JSON.stringify(renderBody(endpoint.body, context));
      headers['content-type'] = 'application/json';
    }
    // The path template, not the URL: the URL carries identity values.
    const where = `${endpoint.method} ${endpoint.path}`;
    let response: Response;
    try {
      response = await loadUndici().fetch(url, {
        method: endpoint.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.#connection.timeoutMs),
        dispatcher: this.#dispatcher(),
      });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.#connection.timeoutMs} ms`
          : ((error as { cause?: Error }).cause?.message ?? (error as Error).message);
      throw new Unavailable(
        'connector.http_unreachable',
        `System ${this.#systemId}: ${where} failed: ${reason}.`,
        { system: this.#systemId, endpoint: where },
        { cause: error },
      );
    }
    const text = await response.text();
    if (endpoint.notFoundStatuses.includes(response.status)) return undefined;
    if (!response.ok) {
      const details = { system: this.#systemId, endpoint: where, status: response.status };
      if (response.status >= 500 || response.status === 429)
        throw new Unavailable(
          'connector.http_failed',
          `System ${this.#systemId}: ${where} answered ${response.status}; try again later.`,
          details,
        );
      throw new Conflict(
        'connector.http_rejected',
        `System ${this.#systemId}: ${where} answered ${response.status}. Check the endpoint and its credentials in the data map.`,
        details,
      );
    }
    if (!text) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  #dispatcher(): Agent {
    if (this.#agent) return this.#agent;
    const tls = this.#connection.tls;
    this.#agent = new (loadUndici().Agent)({
      connect: {
        rejectUnauthorized: tls?.rejectUnauthorized ?? true,
        ca: tls?.ca ? resolveSecretReference(tls.ca) : undefined,
        cert: tls?.cert ? resolveSecretReference(tls.cert) : undefined,
        key: tls?.key ? resolveSecretReference(tls.key) : undefined,
      },
    });
    return this.#agent;
  }

  #unsupported(target: CollectionTarget, what: string): never {
    throw new InvalidInput(
      'connector.http_unsupported',
      `System ${this.#systemId}, collection ${target.name}: the HTTP connector does not support ${what}.`,
      {
        system: this.#systemId,
        collection: target.name,
      },
    );
  }
}

function headerValue(value: HttpHeaderValue): string {
  return typeof value === 'string' ? value : `${value.prefix ?? ''}${resolveSecretReference(value.secret)}`;
}

function valueFor(assignment: Assignment, selector: Selector): unknown {
  if (assignment.kind === 'value') return assignment.value;
  if (selector.kind !== 'row') return undefined;
  const key = keyOf(assignment.keyColumns.map((c) => selector.row[c]));
  return assignment.values.find((entry) => keyOf(entry.key) === key)?.value;
}

function sameColumns(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((column, i) => column === b[i]);
}

function project(row: Row, columns: string[]): Row {
  if (!columns.length) return row;
  return Object.fromEntries(columns.filter((c) => c in row).map((c) => [c, row[c]]));
}
