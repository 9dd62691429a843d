import type { DataMap } from '../../../platform/datamap/datamap-types.ts';
import type { Screening } from './dpia-screening.ts';
import { findProcessor, type ProcessorRecord } from './processor-record.ts';
import { personal, type ProcessingActivity } from './processing-activities.ts';
import { countryOfRegion } from './region-country.ts';
import type { DataMapLocations, SourceLocation } from './source-location.ts';
import type { TransferFlow } from './transfer-flows.ts';

/** The rules of `steward datamap check`, each with the article it enforces. */
export const CHECK_RULES = {
  'governance.undeclared_legal_basis': {
    severity: 'error',
    article: 'GDPR Art. 6(1), Art. 30(1)(b)',
    title: 'Personal data without a declared purpose and legal basis',
  },
  'governance.legitimate_interest_unstated': {
    severity: 'warning',
    article: 'GDPR Art. 6(1)(f), Art. 13(1)(d)',
    title: 'Legitimate interests without the interest pursued',
  },
  'governance.purpose_without_retention': {
    severity: 'warning',
    article: 'GDPR Art. 5(1)(e), Art. 30(1)(f)',
    title: 'Purpose without a retention period',
  },
  'governance.transfer_without_safeguard': {
    severity: 'error',
    article: 'GDPR Art. 44–49',
    title: 'Transfer out of the EEA with neither adequacy nor a safeguard',
  },
  'governance.transfer_incomplete': {
    severity: 'warning',
    article: 'GDPR Art. 44–49',
    title: 'Transfer whose ground is not fully documented',
  },
  'governance.unknown_region': {
    severity: 'warning',
    article: 'GDPR Art. 44',
    title: 'System region that is not a known country or cloud region',
  },
  'governance.dpia_missing': {
    severity: 'error',
    article: 'GDPR Art. 35(1)',
    title: 'Activity that needs a DPIA has none',
  },
  'governance.screening_reopened': {
    severity: 'warning',
    article: 'GDPR Art. 35(11)',
    title: 'A data-map change meets new DPIA screening criteria',
  },
  'governance.processor_without_dpa': {
    severity: 'error',
    article: 'GDPR Art. 28(3)',
    title: 'Processor without a data processing agreement',
  },
} as const;

export type CheckRule = keyof typeof CHECK_RULES;

/** One finding, pointing at the data-map line to edit. Never holds personal data. */
export interface ComplianceFinding {
  rule: CheckRule;
  severity: 'error' | 'warning';
  article: string;
  file: string;
  line?: number;
  path: string;
  subject: string;
  message: string;
  fix: string;
}

export interface ComplianceCheckInput {
  dataMap: DataMap;
  activities: readonly ProcessingActivity[];
  screenings: readonly Screening[];
  /** Activity ids (`controller:<use>`) that have a DPIA. */
  activitiesWithDpia: ReadonlySet<string>;
  flows: readonly TransferFlow[];
  processors: readonly ProcessorRecord[];
  locations: DataMapLocations;
}

/** Runs every rule of CHECK_RULES over the data map and the registers. */
export function checkCompliance(input: ComplianceCheckInput): ComplianceFinding[] {
  return [
    ...checkLegalBases(input),
    ...checkRetention(input),
    ...checkTransfers(input),
    ...checkDpias(input),
    ...checkProcessors(input),
  ];
}

function finding(
  rule: CheckRule,
  location: SourceLocation,
  subject: string,
  message: string,
  fix: string,
): ComplianceFinding {
  const { severity, article } = CHECK_RULES[rule];
  return {
    rule,
    severity,
    article,
    file: location.file,
    ...(location.line ? { line: location.line } : {}),
    path: location.path,
    subject,
    message,
    fix,
  };
}

function* checkLegalBases({ dataMap, locations }: ComplianceCheckInput): Iterable<ComplianceFinding> {
  for (const system of dataMap.systems) {
    for (const collection of system.collections) {
      const address = { system: system.id, collection: collection.name };
      const uncovered = collection.purposes.length
        ? []
        : collection.fields.filter((f) => personal(f.categories).length && !f.purposes.length);
      if (uncovered.length)
        yield finding(
          'governance.undeclared_legal_basis',
          locations.of(address, ['name']),
          `${system.id}.${collection.name}`,
          `${uncovered.length} personal field${uncovered.length === 1 ? '' : 's'} (${uncovered.map((f) => f.name).join(', ')}) ha${uncovered.length === 1 ? 's' : 've'} no purpose, so no legal basis is declared`,
          'add `purposes: [{ use: <data use>, legalBasis: <Art. 6(1) basis> }]` to the collection or to each field',
        );
      const purposes = [
        ...collection.purposes.map((p, i) => ({ p, at: locations.of(address, ['purposes', i]) })),
        ...collection.fields.flatMap((f) =>
          f.purposes.map((p, i) => ({ p, at: locations.of({ ...address, field: f.name }, ['purposes', i]) })),
        ),
      ];
      for (const { p, at } of purposes) {
        if (p.legalBasis === 'legitimate_interests' && !p.note?.trim())
          yield finding(
            'governance.legitimate_interest_unstated',
            at,
            `${system.id}.${collection.name}`,
            `purpose ${p.use} relies on legitimate interests without saying which interest is pursued`,
            'add `note:` naming the legitimate interest (it goes into the privacy notice and the record of processing)',
          );
      }
    }
  }
}

function* checkRetention({ dataMap, locations }: ComplianceCheckInput): Iterable<ComplianceFinding> {
  for (const system of dataMap.systems) {
    for (const collection of system.collections) {
      const isPersonal = collection.fields.some((f) => personal(f.categories).length);
      const hasPurpose = collection.purposes.length > 0 || collection.fields.some((f) => f.purposes.length);
      const limited =
        collection.retention !== undefined ||
        (collection.erasure?.strategy === 'keep' && collection.erasure.period !== undefined);
      if (!isPersonal || !hasPurpose || limited) continue;
      yield finding(
        'governance.purpose_without_retention',
        locations.of({ system: system.id, collection: collection.name }, ['name']),
        `${system.id}.${collection.name}`,
        `personal data kept for ${[...new Set(collection.purposes.map((p) => p.use))].join(', ') || 'its fields’ purposes'} with no retention period`,
        'add `retention: { keepFor, anchor, action }` (or a legal hold with `period:`) so the record of processing can state the time limit for erasure',
      );
    }
  }
}

function* checkTransfers({ dataMap, flows, locations }: ComplianceCheckInput): Iterable<ComplianceFinding> {
  for (const system of dataMap.systems) {
    if (system.region && !countryOfRegion(system.region))
      yield finding(
        'governance.unknown_region',
        locations.of({ system: system.id }, ['region']),
        system.id,
        `region "${system.region}" is neither an ISO country code nor a cloud region Steward knows, so transfers from hosting cannot be judged`,
        'write the country as an ISO 3166-1 alpha-2 code, e.g. `region: DE`',
      );
  }
  for (const flow of flows) {
    const subject = `${flow.system} → ${flow.country}${flow.recipient ? ` (${flow.recipient})` : ''}`;
    if (!flow.bases.length)
      yield finding(
        'governance.transfer_without_safeguard',
        flow.location,
        subject,
        `personal data goes to ${flow.country} (${flow.route.replace('_', ' ')}) with neither an adequacy decision in force nor a safeguard`,
        'sign standard contractual clauses (Decision (EU) 2021/914) and record them in the processor register, or document BCRs or an Art. 49 derogation',
      );
    for (const warning of flow.warnings)
      yield finding(
        'governance.transfer_incomplete',
        flow.location,
        subject,
        warning,
        'complete the processor register entry or the `transfers:` declaration',
      );
  }
}

function* checkDpias({
  activities,
  screenings,
  activitiesWithDpia,
}: ComplianceCheckInput): Iterable<ComplianceFinding> {
  for (const screening of screenings) {
    const activity = activities.find((a) => `${a.role}:${a.id}` === screening.activityId);
    const location = activity?.legalBases[0]?.location ?? { file: '(data map)', path: '' };
    if (screening.dpiaRequired && !activitiesWithDpia.has(screening.activityId))
      yield finding(
        'governance.dpia_missing',
        location,
        screening.activityId,
        `the screening meets ${screening.metCount} WP248 criteria (${screening.criteria
          .filter((c) => c.met)
          .map((c) => c.criterion)
          .join(', ')}), so a DPIA is required and none is recorded`,
        `carry out the DPIA (steward governance dpia create --file, with activityId ${screening.activityId}) before the processing starts`,
      );
    if (screening.reopenedBy.length)
      yield finding(
        'governance.screening_reopened',
        location,
        screening.activityId,
        `the data map now meets criteria the recorded screening did not: ${screening.reopenedBy.join(', ')}`,
        'review the screening and, if a DPIA exists, whether it still covers the processing',
      );
  }
}

function* checkProcessors({
  dataMap,
  processors,
  locations,
}: ComplianceCheckInput): Iterable<ComplianceFinding> {
  const seen = new Set<string>();
  for (const system of dataMap.systems) {
    for (const [index, recipient] of system.recipients.entries()) {
      const registered = findProcessor(processors, recipient.name);
      const isProcessor = recipient.role === 'processor' || registered?.role === 'processor';
      if (!isProcessor || registered?.dpa || seen.has(recipient.name.toLowerCase())) continue;
      seen.add(recipient.name.toLowerCase());
      yield finding(
        'governance.processor_without_dpa',
        locations.of({ system: system.id }, ['recipients', index]),
        recipient.name,
        registered
          ? 'the processor register records no data processing agreement for this processor'
          : 'this processor is not in the processor register, so no data processing agreement is recorded',
        'record the agreement under Art. 28(3) (date signed, reference) in the processor register: steward governance processor set <id> --file …',
      );
    }
  }
  for (const processor of processors) {
    if (processor.role !== 'processor' || processor.dpa || seen.has(processor.name.toLowerCase())) continue;
    const location = processor.systems[0]
      ? locations.of({ system: processor.systems[0] }, ['name'])
      : { file: '(processor register)', path: processor.id };
    yield finding(
      'governance.processor_without_dpa',
      location,
      processor.name,
      'the processor register records no data processing agreement for this processor',
      'record the agreement under Art. 28(3) (date signed, reference) in the processor register',
    );
  }
}
