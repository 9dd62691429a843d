/**
 * The erased-subject journal (GDPR Art. 17 after a restore). After an erasure's systems are done:
 *
 *   await recordErasure(trx, { tenantId, plan, reports, requestId }, journalHasher(dsrKeyring(config.dsr), tenantId));
 *
 * Recording twice for one request keeps one entry. `steward dsr replay-erasures --since DATE`
 * calls `replayErasures` after a backup was restored.
 */
export {
  journalHasher,
  recordErasure,
  type ErasureJournalInput,
  type IdentityHasher,
} from './record-erasure.ts';
export {
  replayErasures,
  type ReplayOptions,
  type ReplayOutcome,
  type ReplayReport,
} from './replay-erasures.ts';
