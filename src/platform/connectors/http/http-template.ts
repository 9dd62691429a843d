import { InvalidInput } from '../../../kernel/errors/domain-error.ts';

/** Values a template may refer to: `{identity.email}`, `{row.id}`, `{value.email}`. */
export interface TemplateContext {
  identity?: Record<string, unknown>;
  row?: Record<string, unknown>;
  value?: Record<string, unknown>;
}

const PLACEHOLDER = /\{(identity|row|value)\.([A-Za-z0-9_.-]+)\}/g;
const WHOLE_PLACEHOLDER = /^\{(identity|row|value)\.([A-Za-z0-9_.-]+)\}$/;

function lookup(context: TemplateContext, scope: string, name: string, template: string): unknown {
  const values = context[scope as keyof TemplateContext];
  if (!values || !(name in values)) {
    throw new InvalidInput(
      'connector.http_template',
      `The endpoint template "${template}" refers to {${scope}.${name}}, which this call does not have. Check the data map's endpoints.`,
      {
        template,
      },
    );
  }
  return values[name];
}

/** A URL path with every placeholder percent-encoded, so a value can never add a path segment. */
export function renderPath(template: string, context: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_m, scope: string, name: string) =>
    encodeURIComponent(String(lookup(context, scope, name, template) ?? '')),
  );
}

/** Text with placeholders filled in. */
export function renderText(template: string, context: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_m, scope: string, name: string) =>
    String(lookup(context, scope, name, template) ?? ''),
  );
}

/**
 * A JSON body with placeholders filled in. A string that is exactly one placeholder takes the
 * value with its type (a number stays a number, null stays null).
 */
export function renderBody(body: unknown, context: TemplateContext): unknown {
  if (typeof body === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(body);
    return whole ? lookup(context, whole[1]!, whole[2]!, body) : renderText(body, context);
  }
  if (Array.isArray(body)) return body.map((item) => renderBody(item, context));
  if (body && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, renderBody(value, context)]));
  }
  return body;
}

/** The value at a dotted path of a JSON document (`data.items`); `$` or empty is the document. */
export function valueAtPath(document: unknown, path: string | undefined): unknown {
  if (!path || path === '$') return document;
  let current = document;
  for (const part of path.replace(/^\$\./, '').split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
