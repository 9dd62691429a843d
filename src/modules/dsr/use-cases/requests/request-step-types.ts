/** A step's progress. `failed` is final for the step; the request may still finish partially. */
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * What a step does. `access`, `erase` and `rectify` run once per system of the plan; the others
 * once per request.
 */
export const STEP_KINDS = [
  'plan',
  'access',
  'erase',
  'rectify',
  'publish',
  'package',
  'notify',
  'complete',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** The step key stored and used in idempotency keys: `plan`, `erase:shop`, `package`. */
export function stepKey(kind: StepKind, system?: string): string {
  return system ? `${kind}:${system}` : kind;
}
