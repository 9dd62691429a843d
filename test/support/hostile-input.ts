import fc from 'fast-check';
import { validRequestOf, type ApiOperation, type GeneratedRequest } from './openapi-operations.ts';

/**
 * Input that broke Steward in the outside campaign (issue 12, item 6): NUL characters, which
 * PostgreSQL refuses in text; documents nested 10,000 levels, which exhaust the stack of anything
 * recursive; YAML whose aliases expand into millions of nodes ("billion laughs").
 */

/** A JSON text nested `levels` deep, written out as text (JSON.stringify itself overflows there). */
export function aDeeplyNestedJson(levels = 10_000): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

/** YAML whose nine aliases of nine aliases… expand into 9^7 (about 4.8 million) strings. */
export function aYamlAliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'abcdefg';
  for (let i = 1; i < names.length; i++) {
    const previous = `*${names[i - 1]}`;
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(previous).join(',')}]`);
  }
  lines.push('systems: [*g]');
  return `${lines.join('\n')}\n`;
}

/** YAML nested `levels` deep in flow style. */
export function aDeeplyNestedYaml(levels = 10_000): string {
  return `tenant: default\nsystems: ${'{a: '.repeat(levels)}x${'}'.repeat(levels)}\n`;
}

/** A generated request whose body is sent as this text rather than serialised. */
export type HostileRequest = GeneratedRequest & { rawJson?: string; hostility: Hostility };

export type Hostility = 'nul-in-path' | 'nul-in-query' | 'nul-in-body' | 'deep-body' | 'yaml-bomb-in-body';

/** The hostile variants an operation can be sent (some need a path parameter, a query or a body). */
export function hostilitiesOf(operation: ApiOperation): Hostility[] {
  return [
    ...(operation.pathParams.length ? (['nul-in-path'] as const) : []),
    ...(operation.query.length ? (['nul-in-query'] as const) : []),
    ...(operation.body ? (['nul-in-body', 'deep-body', 'yaml-bomb-in-body'] as const) : []),
  ];
}

/** A valid request of the operation, made hostile in one of the ways it can be. */
export function hostileRequestOf(
  operation: ApiOperation,
  resolve: Parameters<typeof validRequestOf>[1],
): fc.Arbitrary<HostileRequest> | undefined {
  const ways = hostilitiesOf(operation);
  if (ways.length === 0) return undefined;
  return fc
    .tuple(validRequestOf(operation, resolve), fc.constantFrom(...ways), fc.nat())
    .map(([valid, hostility, pick]) => makeHostile(operation, valid, hostility, pick));
}

export function makeHostile(
  operation: ApiOperation,
  valid: GeneratedRequest,
  hostility: Hostility,
  pick = 0,
): HostileRequest {
  const url = new URL(valid.url, 'http://steward.test');
  switch (hostility) {
    case 'nul-in-path': {
      // The URL's path segments line up with the operation's; a parameter's gets a %00.
      const template = operation.path.split('/');
      const segments = url.pathname.split('/');
      const params = template.flatMap((segment, index) => (segment.startsWith('{') ? [index] : []));
      const at = params[pick % params.length]!;
      segments[at] = `${segments[at]}%00`;
      return { ...valid, url: `${segments.join('/')}${url.search}`, hostility };
    }
    case 'nul-in-query': {
      const name = operation.query[pick % operation.query.length]!.name;
      url.searchParams.set(name, `${url.searchParams.get(name) ?? 'x'}\u0000`);
      return { ...valid, url: `${url.pathname}${url.search}`, hostility };
    }
    case 'nul-in-body':
      return { ...valid, payload: withStringLeaf(valid.payload, pick, (text) => `${text}\u0000`), hostility };
    case 'yaml-bomb-in-body':
      return { ...valid, payload: withStringLeaf(valid.payload, pick, () => aYamlAliasBomb()), hostility };
    case 'deep-body': {
      const { payload: _dropped, ...rest } = valid;
      const key =
        valid.payload && typeof valid.payload === 'object' ? Object.keys(valid.payload)[0] : undefined;
      return {
        ...rest,
        rawJson: key ? `{${JSON.stringify(key)}:${aDeeplyNestedJson()}}` : aDeeplyNestedJson(),
        hostility,
      };
    }
  }
}

/** A copy of `value` with its `pick`-th string leaf (or a new key, when it has none) changed. */
function withStringLeaf(value: unknown, pick: number, change: (text: string) => string): unknown {
  const copy = structuredClone(value ?? {});
  const leaves: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const stack: unknown[] = [copy];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const [key, item] of Object.entries(node)) {
      if (typeof item === 'string') leaves.push({ holder: node as Record<string, unknown>, key });
      else stack.push(item);
    }
  }
  if (leaves.length === 0) {
    if (copy && typeof copy === 'object' && !Array.isArray(copy))
      (copy as Record<string, unknown>).note = change('x');
    return copy;
  }
  const { holder, key } = leaves[pick % leaves.length]!;
  (holder as Record<string, unknown>)[key as string] = change(
    (holder as Record<string, unknown>)[key as string] as string,
  );
  return copy;
}
