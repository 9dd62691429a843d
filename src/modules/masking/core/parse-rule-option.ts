import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { RuleOverride } from './masking-rules.ts';
import { parseTransformerName } from './transformer-names.ts';
import type { RuleParams } from './transformer.ts';

const NUMERIC_PARAMS = ['noisePercent', 'step', 'maxDays'] as const;

/**
 * `customers.email=keyed_token`, `public.orders.total=numeric_noise:noisePercent=5`: a per-field
 * rule from the command line (the column after the last dot of the left side).
 */
export function parseRuleOption(text: string): RuleOverride {
  const equals = text.indexOf('=');
  const field = equals > 0 ? text.slice(0, equals).trim() : '';
  const dot = field.lastIndexOf('.');
  if (dot <= 0 || dot === field.length - 1) {
    throw new InvalidInput(
      'masking.bad_rule',
      `--rule "${text}" must be table.column=transformer, e.g. customers.notes=null.`,
      { rule: text },
    );
  }
  const [name = '', ...settings] = text.slice(equals + 1).split(':');
  const params: RuleParams = {};
  for (const setting of settings.join(':').split(',').filter(Boolean)) {
    const [key = '', value = ''] = setting.split('=');
    const numeric = NUMERIC_PARAMS.find((param) => param === key);
    if (!numeric || !Number.isFinite(Number(value))) {
      throw new InvalidInput(
        'masking.bad_rule',
        `--rule "${text}": "${setting}" is not a setting; use ${NUMERIC_PARAMS.map((p) => `${p}=<number>`).join(', ')}.`,
        { rule: text },
      );
    }
    params[numeric] = Number(value);
  }
  return {
    table: field.slice(0, dot),
    column: field.slice(dot + 1),
    transformer: parseTransformerName(name.trim(), `--rule ${text}`),
    params,
  };
}

/** `customers.prefs:$.contact.email=email`: a JSON path rule, merged into that column's json rule. */
export function addJsonPathOption(overrides: RuleOverride[], text: string): RuleOverride[] {
  const match = /^([^:]+)\.([^.:]+):(\$[^=]*)=(\w+)$/.exec(text.trim());
  if (!match) {
    throw new InvalidInput(
      'masking.bad_json_path',
      `--json-path "${text}" must be table.column:$.path=transformer, e.g. customers.prefs:$.contact.email=email.`,
      { option: text },
    );
  }
  const [, table, column, path, name] = match as unknown as [string, string, string, string, string];
  const transformer = parseTransformerName(name, `--json-path ${text}`);
  const existing = overrides.find((o) => o.table === table && o.column === column);
  const rule: RuleOverride = existing ?? { table, column, transformer: 'json', params: {} };
  rule.params = { ...rule.params, paths: { ...rule.params?.paths, [path]: transformer } };
  return existing ? overrides : [...overrides, rule];
}
