import { InvalidInput } from '../../../../kernel/errors/domain-error.ts';

/** The rights Steward fulfils, named after the GDPR article that grants them. */
export const REQUEST_TYPES = [
  'access',
  'portability',
  'erasure',
  'rectification',
  'restriction',
  'objection',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** GDPR Art. 15 access, 16 rectification, 17 erasure, 18 restriction, 20 portability, 21 objection. */
export const GDPR_ARTICLE: Record<RequestType, string> = {
  access: 'GDPR Art. 15',
  rectification: 'GDPR Art. 16',
  erasure: 'GDPR Art. 17',
  restriction: 'GDPR Art. 18',
  portability: 'GDPR Art. 20',
  objection: 'GDPR Art. 21',
};

export const REGIMES = ['gdpr', 'ccpa'] as const;
export type Regime = (typeof REGIMES)[number];

/**
 * CCPA/CPRA rights and the request type that fulfils each: know (Cal. Civ. Code §1798.110, .115),
 * delete (§1798.105), correct (§1798.106), opt-out of sale/sharing (§1798.120, an objection to that
 * processing).
 */
export const CCPA_TYPES = {
  know: 'access',
  delete: 'erasure',
  correct: 'rectification',
  opt_out: 'objection',
} as const satisfies Record<string, RequestType>;
export type CcpaType = keyof typeof CCPA_TYPES;

/** Every type name a caller may submit, GDPR's and CCPA's. */
export const SUBMITTABLE_TYPES = [...REQUEST_TYPES, ...(Object.keys(CCPA_TYPES) as CcpaType[])] as const;
export type SubmittableType = (typeof SUBMITTABLE_TYPES)[number];

export interface ResolvedType {
  type: RequestType;
  regime: Regime;
  /** The name the regime uses, kept for the record and the requester's correspondence. */
  regimeType: string;
}

/**
 * Maps a submitted type and regime onto the type Steward executes. A CCPA name implies the CCPA
 * regime; a GDPR name under CCPA is accepted only where CCPA has the same right.
 */
export function resolveRequestType(submitted: SubmittableType, regime: Regime | undefined): ResolvedType {
  if (submitted in CCPA_TYPES) {
    if (regime === 'gdpr') {
      throw new InvalidInput(
        'dsr.type_regime_mismatch',
        `"${submitted}" is a CCPA request type; submit it with regime "ccpa" or use the GDPR type "${CCPA_TYPES[submitted as CcpaType]}".`,
        { type: submitted },
      );
    }
    return { type: CCPA_TYPES[submitted as CcpaType], regime: 'ccpa', regimeType: submitted };
  }
  const type = submitted as RequestType;
  if (regime === 'ccpa') {
    const ccpaName = (Object.entries(CCPA_TYPES) as [CcpaType, RequestType][]).find(
      ([, mapped]) => mapped === type,
    )?.[0];
    if (!ccpaName) {
      throw new InvalidInput(
        'dsr.type_regime_mismatch',
        `CCPA has no "${type}" right. CCPA request types are ${Object.keys(CCPA_TYPES).join(', ')}.`,
        { type },
      );
    }
    return { type, regime: 'ccpa', regimeType: ccpaName };
  }
  return { type, regime: 'gdpr', regimeType: type };
}
