/** SCC modules of Commission Implementing Decision (EU) 2021/914. */
export type SccModule = 1 | 2 | 3 | 4;

export const SCC_MODULE_NAMES: Record<SccModule, string> = {
  1: 'controller to controller',
  2: 'controller to processor',
  3: 'processor to processor',
  4: 'processor to controller',
};

/** GDPR Art. 49(1) points (a)–(g), and the second subparagraph (compelling legitimate interests). */
export type DerogationPoint = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'second_subparagraph';

/** The Chapter V instrument a contract with a recipient abroad rests on (besides adequacy). */
export type TransferMechanism =
  | { kind: 'scc'; module: SccModule; signedOn: string }
  | { kind: 'bcr'; reference: string }
  | { kind: 'derogation'; point: DerogationPoint; justification: string };

/**
 * A transfer impact assessment (CJEU C-311/18; EDPB Recommendations 01/2020): whether the law and
 * practice of the destination let the safeguard work, and which supplementary measures make it so.
 */
export interface TransferImpactAssessment {
  assessedOn: string;
  outcome: 'no_supplementary_measures_needed' | 'supplementary_measures' | 'transfer_suspended';
  measures: string[];
  reference?: string;
}

/**
 * A processor or other recipient in the register (GDPR Art. 28, Art. 30(1)(d)). It is linked to the
 * data map by name (a system's `recipients[].name` or `transfers[].recipient`) and by the systems it
 * operates (`systems`). Holds business contacts (role addresses), never data subjects' data.
 */
export interface ProcessorRecord {
  id: string;
  name: string;
  role: 'processor' | 'controller';
  contact?: string;
  /** ISO 3166-1 alpha-2 countries where it processes. */
  countries: string[];
  /** Data categories it receives (taxonomy keys). */
  categories: string[];
  /** Data-map systems it operates for us. */
  systems: string[];
  /** Art. 28(3): the contract or other legal act binding the processor. */
  dpa?: { signedOn: string; reference?: string };
  subProcessors: { name: string; country: string; service?: string }[];
  /** Certified under the EU–US Data Privacy Framework (Decision (EU) 2023/1795). */
  dpfCertified: boolean;
  mechanism?: TransferMechanism;
  tia?: TransferImpactAssessment;
}

/** The register entry a data-map recipient name refers to (names compare case-insensitively). */
export function findProcessor(
  processors: readonly ProcessorRecord[],
  name: string | undefined,
): ProcessorRecord | undefined {
  if (!name) return undefined;
  const wanted = name.trim().toLowerCase();
  return processors.find((p) => p.name.trim().toLowerCase() === wanted);
}
