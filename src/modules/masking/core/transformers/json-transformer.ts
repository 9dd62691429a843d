import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';
import type {
  ColumnFacts,
  MaskValue,
  RuleParams,
  TransformerDefinition,
  TransformerName,
  TransformerTools,
} from '../transformer.ts';

type PathStep = { key: string } | { index: number } | { every: true };
type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * JSON masked by path: each path (`$.contact.email`, `$.addresses[*].street`, `$.tags[0]`) names
 * the transformer for the values there (every string or number beneath it when it reaches an
 * object or array); what no path reaches is kept. Without paths every string leaf gets a keyed
 * token, so a JSON column tagged as personal never passes through unread. Keys are kept; the
 * document's structure, and so queries on it, survive.
 */
export const jsonTransformer: TransformerDefinition = {
  name: 'json',
  leakCheck: 'contains',
  families: ['json', 'text', 'other'],
  create(column: ColumnFacts, tools: TransformerTools, params: RuleParams): MaskValue {
    const leafColumn: ColumnFacts = { ...column, family: 'text', length: undefined, rawType: 'text' };
    const rules = Object.entries(params.paths ?? { '$..*': 'keyed_token' as TransformerName }).map(
      ([path, name]) => ({
        steps: parseJsonPath(path),
        mask: tools.transformerFor(name, leafColumn, {}),
      }),
    );
    return (value) => {
      let document: JsonValue;
      try {
        document = JSON.parse(value) as JsonValue;
      } catch {
        return null; // Not JSON after all (a text column): nothing of it may pass unread.
      }
      for (const rule of rules) document = applyAt(document, rule.steps, rule.mask);
      return JSON.stringify(document);
    };
  },
};

/** `$.a.b[*].c`, `$['a b']`, `$.list[2]`; `$..*` means every leaf. */
export function parseJsonPath(path: string): PathStep[] | 'all' {
  if (path === '$..*') return 'all';
  if (!path.startsWith('$')) throw badPath(path);
  const steps: PathStep[] = [];
  const pattern = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[\*\]|\['([^']+)'\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) throw badPath(path);
    if (match[1] !== undefined) steps.push({ key: match[1] });
    else if (match[2] !== undefined) steps.push({ index: Number(match[2]) });
    else if (match[3] !== undefined) steps.push({ key: match[3] });
    else steps.push({ every: true });
  }
  return steps;
}

function applyAt(node: JsonValue, steps: PathStep[] | 'all', mask: MaskValue): JsonValue {
  if (steps === 'all' || steps.length === 0) return maskLeaves(node, mask);
  const [step, ...rest] = steps as [PathStep, ...PathStep[]];
  if (Array.isArray(node)) {
    if ('every' in step) return node.map((item) => applyAt(item, rest, mask));
    if ('index' in step && step.index < node.length) {
      const copy = [...node];
      copy[step.index] = applyAt(node[step.index]!, rest, mask);
      return copy;
    }
    return node;
  }
  if (node !== null && typeof node === 'object') {
    if ('every' in step)
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, applyAt(v, rest, mask)]));
    if ('key' in step && step.key in node)
      return { ...node, [step.key]: applyAt(node[step.key]!, rest, mask) };
  }
  return node;
}

function maskLeaves(node: JsonValue, mask: MaskValue): JsonValue {
  if (typeof node === 'string') return mask(node);
  if (typeof node === 'number') {
    const masked = mask(String(node));
    return masked === null ? null : Number.isFinite(Number(masked)) ? Number(masked) : masked;
  }
  if (Array.isArray(node)) return node.map((item) => maskLeaves(item, mask));
  if (node !== null && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, maskLeaves(v, mask)]));
  return node;
}

function badPath(path: string): InvalidInput {
  return new InvalidInput(
    'masking.bad_json_path',
    `JSON path "${path}" is not understood. Write it as $.key.key, $.list[*].key, $.list[0] or $['key with spaces'].`,
    { path },
  );
}
