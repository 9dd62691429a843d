/**
 * The DSR executor's API for the request lifecycle (durable jobs call these, one system per job
 * step). Each function runs one system's part of a plan made by `src/dsr/planning`:
 *
 * - `runAccessForSystem(plan, systemId, connector, options?)`: AsyncIterable<AccessPage>, the
 *   subject's rows page by page, collection by collection (never the whole subject in memory).
 *   Read-only; re-running it after a crash reads the same rows again.
 * - `runErasureForSystem(plan, systemId, connector, { dryRun?, now? })`: Promise<ErasureReport>.
 *   One transaction per system; a failure leaves the system unchanged. Re-running after a
 *   committed run is harmless: deleted rows are gone, masked values are recognised and kept.
 *   `dryRun` returns the exact rows and fields that would change and changes nothing.
 * - `runRectificationForSystem(plan, systemId, connector)`: Promise<RectificationReport>, one
 *   transaction; writing the same values twice is harmless.
 * - `estimatePlanRows(plan, systemId, connector)`: a copy of the plan with each step's
 *   `estimatedRows` (a count on the live system).
 *
 * Connectors come from `ConnectorRegistry.forSystem(tenantId, system)` (src/connectors).
 * The erased-subject journal (src/dsr/journal) records each erasure: call
 * `recordErasure(trx, { plan, reports, requestId }, key)` after the systems are done.
 */
export type * from './execution-report.ts';
export { runAccessForSystem } from './run-access.ts';
export { runErasureForSystem } from './run-erasure.ts';
export { runRectificationForSystem } from './run-rectification.ts';
export { estimatePlanRows } from './estimate-plan-rows.ts';
export { decryptDeterministic } from '../../../../platform/erasure/masking-strategies.ts';
