// The masking module's public surface: what workflows (a privacy flow refreshing a staging
// database nightly) and the app may use. Everything else in the folder is internal.
export type {
  MaskingReport,
  MaskingPlanSummary,
  MaskingRunOptions,
  MaskingTarget,
} from './core/masking-run-types.ts';
export type { MaskingDeps, MaskingAuditEvent, MaskingProgress } from './use-cases/masking-deps.ts';
export type { MaskingRunRequest } from './use-cases/request-masking-run.ts';
export { MASKING_QUEUES, type MaskingRunPayload } from './core/masking-queues.ts';
export { maskingDepsFrom } from './masking-services.ts';
export { requestMaskingRun } from './use-cases/request-masking-run.ts';
export { executeMaskingRun } from './use-cases/masking-engine.ts';
export { copyMaskedDatabase, writeMaskedDump } from './use-cases/copy-masked-database.ts';
export { planMaskedCopy } from './use-cases/masking-engine.ts';
export { readMaskingReport, requestMaskingCancel } from './store/masking-run-store.ts';
