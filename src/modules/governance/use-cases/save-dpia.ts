import { randomUUID } from 'node:crypto';
import { recordAuditEvent } from '../../../platform/audit/record-audit-event.ts';
import { Conflict, InvalidInput, NotFound } from '../../../kernel/errors/domain-error.ts';
import { evaluateDpia, type DpiaContent, type DpiaEvaluation, type DpiaVersion } from '../core/dpia.ts';
import { addDpiaVersion, insertDpia, listDpias, readDpiaVersions } from '../store/dpia-store.ts';
import { governanceDb } from '../store/governance-db.ts';
import { actorLabel, type GovernanceActor, type GovernanceDeps } from './governance-deps.ts';

export interface DpiaView {
  id: string;
  activityId: string;
  current: DpiaVersion;
  evaluation: DpiaEvaluation;
  versions: { version: number; createdBy: string; createdAt: string }[];
}

/** Starts the DPIA of a processing activity (one per activity) as version 1. */
export async function createDpia(
  deps: GovernanceDeps,
  tenantId: string,
  activityId: string,
  content: DpiaContent,
  actor: GovernanceActor,
): Promise<DpiaView> {
  assertSignable(content);
  const id = randomUUID();
  await deps.database.db.transaction().execute(async (trx) => {
    const db = governanceDb(trx);
    const existing = (await listDpias(db, tenantId)).find((d) => d.activityId === activityId);
    if (existing)
      throw new Conflict(
        'governance.dpia_exists',
        `Activity ${activityId} already has DPIA ${existing.id}; add a version to it instead.`,
        { dpiaId: existing.id },
      );
    await insertDpia(db, tenantId, {
      dpiaId: id,
      version: 1,
      activityId,
      content,
      createdBy: actorLabel(actor),
      createdAt: new Date().toISOString(),
    });
    await auditDpia(trx, tenantId, id, 1, content, actor, 'governance.dpia.created');
  });
  return readDpia(deps, tenantId, id);
}

/** Saves a new version; earlier versions stay as they were (the DPIA's history). */
export async function reviseDpia(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  content: DpiaContent,
  actor: GovernanceActor,
): Promise<DpiaView> {
  assertSignable(content);
  await deps.database.db.transaction().execute(async (trx) => {
    const version = await addDpiaVersion(
      governanceDb(trx),
      tenantId,
      id,
      content,
      actorLabel(actor),
      new Date(),
    );
    if (!version) throw new NotFound('governance.dpia_not_found', `No DPIA ${id}.`, { id });
    await auditDpia(trx, tenantId, id, version.version, content, actor, 'governance.dpia.revised');
  });
  return readDpia(deps, tenantId, id);
}

export async function readDpia(
  deps: GovernanceDeps,
  tenantId: string,
  id: string,
  version?: number,
): Promise<DpiaView> {
  const versions = await readDpiaVersions(governanceDb(deps.database.db), tenantId, id);
  const current = version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
  if (!current)
    throw new NotFound(
      'governance.dpia_not_found',
      version === undefined ? `No DPIA ${id}.` : `DPIA ${id} has no version ${version}.`,
      { id, version },
    );
  return {
    id,
    activityId: current.activityId,
    current,
    evaluation: evaluateDpia(current.content, new Date()),
    versions: versions.map((v) => ({ version: v.version, createdBy: v.createdBy, createdAt: v.createdAt })),
  };
}

async function auditDpia(
  trx: Parameters<typeof recordAuditEvent>[0],
  tenantId: string,
  id: string,
  version: number,
  content: DpiaContent,
  actor: GovernanceActor,
  action: string,
): Promise<void> {
  const evaluation = evaluateDpia(content, new Date());
  await recordAuditEvent(trx, {
    tenantId,
    actor,
    action,
    object: { type: 'dpia', id },
    outcome: 'success',
    details: {
      version,
      residualRisk: evaluation.residualRisk,
      priorConsultationRequired: evaluation.priorConsultationRequired,
      signedOff: content.signOff !== undefined,
    },
  });
}

/** A DPIA is signed off only when complete: every Art. 35(7) part and the DPO's advice (Art. 35(2)). */
function assertSignable(content: DpiaContent): void {
  if (!content.signOff) return;
  const { missing } = evaluateDpia(content, new Date());
  if (missing.length)
    throw new InvalidInput(
      'governance.dpia_incomplete',
      `The DPIA cannot be signed off while it lacks: ${missing.join('; ')}. Save it without signOff, or complete it.`,
      { missing },
    );
}
