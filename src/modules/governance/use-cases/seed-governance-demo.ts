import { isDomainError } from '../../../kernel/errors/domain-error.ts';
import type { DpiaContent } from '../core/dpia.ts';
import { governanceDb } from '../store/governance-db.ts';
import { readProcessor } from '../store/processor-store.ts';
import { assessBreach } from './assess-breach.ts';
import { closeBreach } from './close-breach.ts';
import type { GovernanceActor, GovernanceCountingDeps } from './governance-deps.ts';
import { recordBreach } from './record-breach.ts';
import { recordBreachNotification } from './record-breach-notification.ts';
import { recordScreening } from './record-screening.ts';
import { recountBreachSubjects } from './recount-breach-subjects.ts';
import { createDpia, reviseDpia } from './save-dpia.ts';
import { saveProcessor } from './save-processor.ts';
import { updateBreachFacts } from './update-breach.ts';
import { writeRopaField } from './write-ropa-field.ts';

const DEMO: GovernanceActor = { kind: 'system', id: 'demo' };
const SESSIONS_ACTIVITY = 'controller:analytics.reporting';

/**
 * Governance content for the demo shop (its data map: src/modules/demo/shop/shop-datamap.yaml): the
 * hand-written parts of the record of processing, the payment provider abroad under SCCs with a DPA
 * and a TIA, the parcel carrier, a screening that requires a DPIA for session analytics and that
 * DPIA in two versions, and one closed breach with its subjects counted in the shop. All names and
 * addresses are fictitious. Runs once per tenant: returns false when the demo content exists.
 */
export async function seedGovernanceDemo(
  deps: GovernanceCountingDeps,
  tenantId = 'default',
): Promise<boolean> {
  if (await readProcessor(governanceDb(deps.database.db), tenantId, 'payment-service-provider')) return false;
  await seedRegisters(deps, tenantId);
  await seedDpia(deps, tenantId);
  await seedClosedBreach(deps, tenantId);
  return true;
}

async function seedRegisters(deps: GovernanceCountingDeps, tenantId: string): Promise<void> {
  const fields: [string, string[]][] = [
    [
      'controller',
      [
        'Demo Shop GmbH (fictitious), Beispielstraße 1, 10115 Berlin, Germany · privacy@shop.example · +49 30 0000000',
      ],
    ],
    ['dpo', ['Data protection officer, Demo Shop GmbH · dpo@shop.example']],
    ['representative', ['Not required: the controller is established in the Union (Art. 27(1))']],
    ['jointControllers', ['None']],
    [
      'securityMeasures',
      [
        'Encryption in transit (TLS 1.2+) and at rest (AES-256)',
        'Role-based access with SSO and MFA; access reviewed quarterly',
        'Backups encrypted, restored and tested monthly',
        'Audit log of personal-data operations (Steward, tamper-evident)',
      ],
    ],
  ];
  for (const [field, lines] of fields)
    await writeRopaField(deps, tenantId, { entryId: '*', field, lines }, DEMO);
  await saveProcessor(
    deps,
    tenantId,
    {
      id: 'payment-service-provider',
      name: 'Payment service provider',
      role: 'processor',
      contact: 'privacy@payments.example',
      countries: ['US'],
      categories: ['user.financial', 'user.financial.credit_card', 'user.contact.email'],
      systems: [],
      dpa: { signedOn: '2024-03-01', reference: 'DPA-2024-007' },
      subProcessors: [{ name: 'Card network tokenisation', country: 'IE', service: 'card tokens' }],
      dpfCertified: false,
      mechanism: { kind: 'scc', module: 2, signedOn: '2024-03-01' },
      tia: {
        assessedOn: '2024-02-20',
        outcome: 'supplementary_measures',
        measures: [
          'card numbers tokenised before transfer',
          'encryption in transit and at rest, keys held in the EU',
        ],
        reference: 'TIA-2024-002',
      },
    },
    DEMO,
  );
  await saveProcessor(
    deps,
    tenantId,
    {
      id: 'parcel-carrier',
      name: 'Parcel carrier',
      role: 'controller',
      contact: 'datenschutz@carrier.example',
      countries: ['DE'],
      categories: ['user.name', 'user.contact.address'],
      systems: [],
      subProcessors: [],
      dpfCertified: false,
    },
    DEMO,
  );
}

async function seedDpia(deps: GovernanceCountingDeps, tenantId: string): Promise<void> {
  await recordScreening(
    deps,
    tenantId,
    SESSIONS_ACTIVITY,
    [
      {
        criterion: 'large_scale',
        met: true,
        reason: 'every visit of the shop is recorded, signed in or not',
      },
    ],
    DEMO,
  );
  const draft: DpiaContent = {
    title: 'Session analytics and security logging',
    description:
      'Web sessions (customer number when signed in, IP address, user agent, start time) are recorded for security monitoring and, with consent, for audience measurement.',
    necessity:
      'Security logging is needed to detect account takeover (Art. 32); audience measurement runs only with consent and on data kept 13 months (CNIL guidance).',
    risks: [
      {
        id: 'tracking',
        description: 'Visitors are followed across visits without knowing it',
        likelihood: 3,
        severity: 3,
      },
      { id: 'breach', description: 'IP addresses and sessions leak in a breach', likelihood: 2, severity: 2 },
    ],
    measures: [
      {
        riskId: 'tracking',
        measure: 'Analytics only after consent; IP addresses truncated after 7 days',
        residualLikelihood: 1,
        residualSeverity: 3,
      },
    ],
    reviewDate: '2027-06-30',
  };
  const created = await createDpia(deps, tenantId, SESSIONS_ACTIVITY, draft, DEMO);
  await reviseDpia(
    deps,
    tenantId,
    created.id,
    {
      ...draft,
      measures: [
        ...draft.measures,
        {
          riskId: 'breach',
          measure: 'Sessions encrypted at rest; deleted after 13 months by retention',
          residualLikelihood: 1,
          residualSeverity: 2,
        },
      ],
      dpoAdvice: {
        advice: 'Proceed: residual risk acceptable once IP truncation is in place.',
        followed: true,
      },
      signOff: { by: 'Head of e-commerce', at: '2026-04-15' },
    },
    DEMO,
  );
}

async function seedClosedBreach(deps: GovernanceCountingDeps, tenantId: string): Promise<void> {
  const breach = await recordBreach(
    deps,
    tenantId,
    {
      title: 'Support mailbox auto-forwarded to a former agent',
      description:
        'A forwarding rule on the support mailbox sent new support tickets to the private address of a former support agent for three days.',
      nature: { confidentiality: true, integrity: false, availability: false },
      occurredAt: new Date('2026-02-07T09:00:00Z'),
      detectedAt: new Date('2026-02-10T07:45:00Z'),
      awareAt: new Date('2026-02-10T08:30:00Z'),
      affected: [{ system: 'shop', collection: 'support_tickets' }],
      likelyConsequences:
        'Names, contact details and the content of support messages were disclosed to one person bound by a confidentiality clause; misuse is unlikely but phishing is possible.',
      contact: 'dpo@shop.example',
    },
    DEMO,
    new Date('2026-02-10T08:35:00Z'),
  );
  try {
    await recountBreachSubjects(deps, tenantId, breach.id, DEMO);
  } catch (error) {
    // The shop may not be reachable while the demo starts; the count can be taken later from the API.
    if (!isDomainError(error)) throw error;
  }
  await assessBreach(deps, tenantId, breach.id, { likelihood: 2, severity: 2 }, DEMO);
  await updateBreachFacts(
    deps,
    tenantId,
    breach.id,
    {
      measures:
        'Forwarding rule removed; the former agent confirmed deletion in writing; mailbox rules now need approval.',
    },
    DEMO,
  );
  await recordBreachNotification(
    deps,
    tenantId,
    breach.id,
    {
      audience: 'authority',
      phase: 'initial',
      sentAt: '2026-02-11T15:10:00Z',
      reference: 'LDA-2026-0142',
      summary: 'Initial notification through the authority’s online form',
    },
    DEMO,
  );
  await recordBreachNotification(
    deps,
    tenantId,
    breach.id,
    {
      audience: 'authority',
      phase: 'final',
      sentAt: '2026-02-20T10:00:00Z',
      reference: 'LDA-2026-0142',
      summary: 'Confirmation of deletion and of the measures taken',
    },
    DEMO,
  );
  await closeBreach(
    deps,
    tenantId,
    breach.id,
    DEMO,
    'Closed after the authority acknowledged the final notification',
  );
}
