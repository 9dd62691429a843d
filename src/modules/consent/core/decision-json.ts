import type { ConsentDecision } from './consent-decision.ts';
import { decisionSchema } from '../http/consent-route-schemas.ts';

const serialised = new WeakMap<ConsentDecision, string>();

/**
 * A decision as the API sends it: checked against the route's response schema and serialised once
 * per decision object. Cached subjects share frozen decisions (check-consent.ts), so the hot path
 * sends a string it already has; a fresh decision is checked and serialised like any response.
 */
export function decisionJson(decision: ConsentDecision): string {
  let json = serialised.get(decision);
  if (json === undefined) {
    json = JSON.stringify(decisionSchema.parse(decision));
    if (Object.isFrozen(decision)) serialised.set(decision, json);
  }
  return json;
}

/** Route serializers (Fastify `serializerCompiler`) of the single and the batch check. */
export const decisionSerializer = () => (decision: ConsentDecision) => decisionJson(decision);
export const decisionsSerializer = () => (body: { results: ConsentDecision[] }) =>
  `{"results":[${body.results.map(decisionJson).join(',')}]}`;
