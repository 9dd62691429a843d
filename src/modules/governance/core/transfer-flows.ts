import type { DataMap, DataMapSystem, Transfer } from '../../../platform/datamap/datamap-types.ts';
import { adequacyDecisionFor, ADEQUACY_DECISIONS, type AdequacyDecision } from './adequacy-decisions.ts';
import { isInEea } from './eea-countries.ts';
import {
  findProcessor,
  type DerogationPoint,
  type ProcessorRecord,
  type SccModule,
  type TransferImpactAssessment,
} from './processor-record.ts';
import { countryOfRegion } from './region-country.ts';
import type { DataMapLocations, SourceLocation } from './source-location.ts';

/** The ground a transfer rests on under GDPR Chapter V. */
export type TransferBasis =
  | { kind: 'adequacy'; decision: AdequacyDecision } // Art. 45
  | { kind: 'scc'; module?: SccModule; signedOn?: string } // Art. 46(2)(c), Decision (EU) 2021/914
  | { kind: 'bcr'; reference?: string } // Art. 47
  | { kind: 'derogation'; point?: DerogationPoint; justification?: string }; // Art. 49

/** How the flow was found. */
export type TransferRoute = 'hosting' | 'declared_transfer' | 'recipient' | 'processor' | 'sub_processor';

/** One flow of personal data out of the EEA, with every ground found for it. */
export interface TransferFlow {
  system: string;
  /** ISO 3166-1 alpha-2 of the destination. */
  country: string;
  recipient?: string;
  route: TransferRoute;
  /** Personal data categories the system holds (taxonomy keys). */
  categories: string[];
  /** Empty = no ground: the transfer is unlawful (Art. 44). */
  bases: TransferBasis[];
  /** What should be fixed although a ground exists, e.g. an SCC module not recorded. */
  warnings: string[];
  tia?: TransferImpactAssessment;
  location: SourceLocation;
}

export interface TransferDerivationInput {
  dataMap: DataMap;
  processors: readonly ProcessorRecord[];
  locations: DataMapLocations;
  /** The day the grounds are judged on (adequacy decisions start and end). */
  at: Date;
  decisions?: readonly AdequacyDecision[];
}

/**
 * Every flow of personal data out of the EEA that the data map and the processor register reveal:
 * systems hosted abroad, declared transfers, recipients abroad, processors and sub-processors abroad
 * (GDPR Art. 44–49). A flow found twice (a declared transfer to a recipient also in the register) is
 * listed once, with the grounds of both.
 */
export function deriveTransferFlows(input: TransferDerivationInput): TransferFlow[] {
  const flows = new Map<string, TransferFlow>();
  for (const system of input.dataMap.systems) {
    const categories = personalCategories(system);
    if (!categories.length) continue;
    for (const flow of flowsOfSystem(system, categories, input)) {
      const key = `${flow.system}|${flow.country}|${(flow.recipient ?? '').toLowerCase()}`;
      const existing = flows.get(key);
      if (!existing) flows.set(key, flow);
      else mergeInto(existing, flow);
    }
  }
  return [...flows.values()];
}

function flowsOfSystem(
  system: DataMapSystem,
  categories: string[],
  input: TransferDerivationInput,
): TransferFlow[] {
  const flows: TransferFlow[] = [];
  const at = (subPath: (string | number)[]) => input.locations.of({ system: system.id }, subPath);
  const hostedIn = system.region ? countryOfRegion(system.region) : undefined;
  const operator = input.processors.find((p) => p.systems.includes(system.id));
  if (hostedIn && !isInEea(hostedIn)) {
    flows.push(
      build(
        input,
        {
          system: system.id,
          country: hostedIn,
          recipient: operator?.name,
          route: 'hosting',
          categories,
          location: at(['region']),
        },
        operator,
      ),
    );
  }
  system.transfers.forEach((transfer, index) => {
    if (isInEea(transfer.country)) return;
    const processor = findProcessor(input.processors, transfer.recipient);
    const flow = build(
      input,
      {
        system: system.id,
        country: transfer.country,
        recipient: transfer.recipient,
        route: 'declared_transfer',
        categories,
        location: at(['transfers', index]),
      },
      processor,
    );
    applyDeclaredSafeguard(flow, transfer, processor, input);
    flows.push(flow);
  });
  system.recipients.forEach((recipient, index) => {
    const processor = findProcessor(input.processors, recipient.name);
    const countries = new Set([
      ...(recipient.country ? [recipient.country] : []),
      ...(processor?.countries ?? []),
    ]);
    for (const country of countries) {
      if (isInEea(country)) continue;
      const route =
        processor?.role === 'processor' || recipient.role === 'processor' ? 'processor' : 'recipient';
      flows.push(
        build(
          input,
          {
            system: system.id,
            country,
            recipient: recipient.name,
            route,
            categories,
            location: at(['recipients', index]),
          },
          processor,
        ),
      );
    }
    for (const sub of processor?.subProcessors ?? []) {
      if (isInEea(sub.country)) continue;
      flows.push(
        build(
          input,
          {
            system: system.id,
            country: sub.country,
            recipient: `${sub.name} (sub-processor of ${recipient.name})`,
            route: 'sub_processor',
            categories,
            location: at(['recipients', index]),
          },
          undefined,
        ),
      );
    }
  });
  return flows;
}

type FlowBase = Omit<TransferFlow, 'bases' | 'warnings' | 'tia'>;

/** A flow with the grounds that need no declaration: an adequacy decision, and the register's contract. */
function build(
  input: TransferDerivationInput,
  base: FlowBase,
  processor: ProcessorRecord | undefined,
): TransferFlow {
  const flow: TransferFlow = { ...base, bases: [], warnings: [] };
  if (base.recipient === undefined) delete flow.recipient;
  const decision = adequacyDecisionFor(base.country, input.at, input.decisions ?? ADEQUACY_DECISIONS);
  if (decision?.scope === 'full') flow.bases.push({ kind: 'adequacy', decision });
  if (decision?.scope === 'commercial_organisations') {
    flow.bases.push({ kind: 'adequacy', decision });
    flow.warnings.push(
      `the ${decision.name} decision covers ${decision.note ?? 'only part of the country'}; confirm the recipient is covered`,
    );
  }
  if (decision?.scope === 'certified_organisations' && processor?.dpfCertified)
    flow.bases.push({ kind: 'adequacy', decision });
  if (processor?.mechanism) flow.bases.push(basisOfMechanism(processor.mechanism));
  if (processor?.tia) flow.tia = processor.tia;
  if (processor?.tia?.outcome === 'transfer_suspended') {
    flow.bases = flow.bases.filter((b) => b.kind === 'adequacy');
    flow.warnings.push('the transfer impact assessment concluded the transfer must be suspended');
  }
  if (
    flow.bases.some((b) => b.kind !== 'adequacy') &&
    !flow.tia &&
    !flow.bases.some((b) => b.kind === 'adequacy')
  )
    flow.warnings.push(
      'no transfer impact assessment is recorded for a transfer under Art. 46 safeguards (CJEU C-311/18)',
    );
  return flow;
}

function basisOfMechanism(mechanism: NonNullable<ProcessorRecord['mechanism']>): TransferBasis {
  if (mechanism.kind === 'scc')
    return { kind: 'scc', module: mechanism.module, signedOn: mechanism.signedOn };
  if (mechanism.kind === 'bcr') return { kind: 'bcr', reference: mechanism.reference };
  return { kind: 'derogation', point: mechanism.point, justification: mechanism.justification };
}

/** What the data map's `safeguard:` says, checked against the adequacy list and the register. */
function applyDeclaredSafeguard(
  flow: TransferFlow,
  transfer: Transfer,
  processor: ProcessorRecord | undefined,
  input: TransferDerivationInput,
): void {
  const has = (kind: TransferBasis['kind']) => flow.bases.some((b) => b.kind === kind);
  const decision = adequacyDecisionFor(transfer.country, input.at, input.decisions ?? ADEQUACY_DECISIONS);
  switch (transfer.safeguard) {
    case 'adequacy_decision':
      if (!decision)
        flow.warnings.push(
          `declared "adequacy_decision", but no adequacy decision covers ${transfer.country} on ${input.at.toISOString().slice(0, 10)}`,
        );
      else if (decision.scope === 'certified_organisations' && !has('adequacy'))
        flow.warnings.push(
          `the ${decision.name} decision covers certified organisations only, and the processor register does not record the recipient as certified`,
        );
      return;
    case 'eu_us_data_privacy_framework':
      if (transfer.country !== 'US')
        flow.warnings.push(
          `the EU–US Data Privacy Framework covers transfers to the US only, not ${transfer.country}`,
        );
      else if (!processor?.dpfCertified)
        flow.warnings.push(
          'declared under the EU–US Data Privacy Framework, which covers certified organisations only: record the recipient and its certification in the processor register',
        );
      return;
    case 'standard_contractual_clauses':
      if (!has('scc')) {
        flow.bases.push({ kind: 'scc' });
        flow.warnings.push(
          'record the SCC module (Decision (EU) 2021/914) and the signing date in the processor register',
        );
      }
      return;
    case 'binding_corporate_rules':
      if (!has('bcr')) flow.bases.push({ kind: 'bcr' });
      return;
    case 'derogation':
      if (!has('derogation')) {
        flow.bases.push({ kind: 'derogation' });
        flow.warnings.push('record which Art. 49(1) derogation applies and why in the processor register');
      }
      return;
    case 'none':
      return;
  }
}

function mergeInto(target: TransferFlow, other: TransferFlow): void {
  for (const basis of other.bases) {
    if (!target.bases.some((b) => JSON.stringify(b) === JSON.stringify(basis))) target.bases.push(basis);
  }
  for (const warning of other.warnings) if (!target.warnings.includes(warning)) target.warnings.push(warning);
  // A declared transfer is the most specific place to cite.
  if (other.route === 'declared_transfer') {
    target.route = other.route;
    target.location = other.location;
  }
  if (!target.tia && other.tia) target.tia = other.tia;
}

/** Personal data categories of every collection and field of the system (not `system.*`). */
export function personalCategories(system: DataMapSystem): string[] {
  const found = new Set<string>();
  for (const collection of system.collections)
    for (const field of collection.fields)
      for (const c of field.categories) if (!c.startsWith('system')) found.add(c);
  return [...found].sort();
}

/** "Art. 46(2)(c) SCCs 2021/914 module 2, signed 2024-03-01" and similar, for reports. */
export function describeBasis(basis: TransferBasis): string {
  switch (basis.kind) {
    case 'adequacy':
      return `Art. 45 adequacy: ${basis.decision.decision}`;
    case 'scc':
      return `Art. 46(2)(c) standard contractual clauses (Decision (EU) 2021/914)${basis.module ? ` module ${basis.module}` : ''}${basis.signedOn ? `, signed ${basis.signedOn}` : ''}`;
    case 'bcr':
      return `Art. 47 binding corporate rules${basis.reference ? ` (${basis.reference})` : ''}`;
    case 'derogation':
      return `Art. 49(1)${basis.point ? (basis.point === 'second_subparagraph' ? ' second subparagraph' : `(${basis.point})`) : ''} derogation${basis.justification ? `: ${basis.justification}` : ''}`;
  }
}
