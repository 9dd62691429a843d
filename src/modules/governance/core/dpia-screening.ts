import type { ProcessingActivity } from './processing-activities.ts';

/**
 * The nine criteria of the Article 29 Working Party's DPIA guidelines (WP248 rev.01, endorsed by
 * the EDPB): processing that meets two or more is in most cases likely to result in a high risk and
 * needs a DPIA (GDPR Art. 35(1)).
 */
export type ScreeningCriterion =
  | 'evaluation_or_scoring'
  | 'automated_decision_with_legal_effect'
  | 'systematic_monitoring'
  | 'sensitive_or_highly_personal_data'
  | 'large_scale'
  | 'matching_or_combining_datasets'
  | 'vulnerable_data_subjects'
  | 'innovative_technology'
  | 'prevents_exercising_rights';

export const SCREENING_CRITERIA: readonly { criterion: ScreeningCriterion; title: string }[] = [
  {
    criterion: 'evaluation_or_scoring',
    title: '1. Evaluation or scoring, including profiling and predicting',
  },
  {
    criterion: 'automated_decision_with_legal_effect',
    title: '2. Automated decision-making with legal or similar significant effect',
  },
  { criterion: 'systematic_monitoring', title: '3. Systematic monitoring' },
  {
    criterion: 'sensitive_or_highly_personal_data',
    title: '4. Sensitive data or data of a highly personal nature',
  },
  { criterion: 'large_scale', title: '5. Data processed on a large scale' },
  { criterion: 'matching_or_combining_datasets', title: '6. Matching or combining datasets' },
  { criterion: 'vulnerable_data_subjects', title: '7. Data concerning vulnerable data subjects' },
  {
    criterion: 'innovative_technology',
    title: '8. Innovative use or applying new technological or organisational solutions',
  },
  {
    criterion: 'prevents_exercising_rights',
    title: '9. Processing that prevents data subjects from exercising a right or using a service or contract',
  },
];

/** A person's answer for one criterion, which overrides what the data map suggests. */
export interface ScreeningAnswer {
  criterion: ScreeningCriterion;
  met: boolean;
  reason: string;
  by: string;
  at: string;
}

export interface CriterionResult {
  criterion: ScreeningCriterion;
  title: string;
  met: boolean;
  reason: string;
  source: 'data_map' | 'by_hand' | 'not_assessed';
}

export interface Screening {
  activityId: string;
  criteria: CriterionResult[];
  metCount: number;
  dpiaRequired: boolean;
  /** The reasons, one per criterion met. */
  reasons: string[];
  /** Criteria the data map now meets that the last recorded screening did not: screen again. */
  reopenedBy: ScreeningCriterion[];
}

const SPECIAL_OR_HIGHLY_PERSONAL = [
  'user.health_and_medical',
  'user.biometric',
  'user.genetic',
  'user.criminal_history',
  'user.demographic.race_ethnicity',
  'user.demographic.political_opinion',
  'user.demographic.religious_belief',
  'user.demographic.sexual_orientation',
  'user.financial',
  'user.location',
  'user.content.private',
  'user.government_id',
];
const MONITORING_CATEGORIES = [
  'user.device',
  'user.location',
  'user.behavior.browsing_history',
  'user.behavior.media_consumption',
  'user.sensor',
];
const PROFILING_USES = ['marketing.advertising', 'personalize', 'analytics', 'marketing.communications'];
const VULNERABLE_SUBJECTS = ['employee', 'patient', 'trainee', 'job_applicant', 'child', 'minor', 'student'];

const within = (key: string, roots: readonly string[]) =>
  roots.filter((r) => key === r || key.startsWith(`${r}.`));

/**
 * What the data map says about each criterion. Criteria the data map cannot see (automated
 * decisions, scale, innovative technology, denial of a service) stay "not assessed" until a person
 * answers; an answer always wins over the suggestion.
 */
export function screenActivity(
  activity: ProcessingActivity,
  answers: readonly ScreeningAnswer[] = [],
  previouslyMet: readonly ScreeningCriterion[] | undefined = undefined,
): Screening {
  const derived = deriveCriteria(activity);
  const criteria = SCREENING_CRITERIA.map(({ criterion, title }): CriterionResult => {
    const answer = answers.find((a) => a.criterion === criterion);
    if (answer) return { criterion, title, met: answer.met, reason: answer.reason, source: 'by_hand' };
    const found = derived.get(criterion);
    if (found) return { criterion, title, met: true, reason: found, source: 'data_map' };
    return {
      criterion,
      title,
      met: false,
      reason: 'not indicated by the data map; answer by hand if it applies',
      source: 'not_assessed',
    };
  });
  const met = criteria.filter((c) => c.met);
  const reopenedBy = previouslyMet
    ? [...derived.keys()].filter((c) => !previouslyMet.includes(c) && !answers.some((a) => a.criterion === c))
    : [];
  return {
    activityId: `${activity.role}:${activity.id}`,
    criteria,
    metCount: met.length,
    dpiaRequired: met.length >= 2,
    reasons: met.map((c) => `${c.title}: ${c.reason}`),
    reopenedBy,
  };
}

function deriveCriteria(activity: ProcessingActivity): Map<ScreeningCriterion, string> {
  const found = new Map<ScreeningCriterion, string>();
  const behaviour = activity.categories.filter((c) => c.startsWith('user.behavior'));
  if (within(activity.id, PROFILING_USES).length && behaviour.length)
    found.set(
      'evaluation_or_scoring',
      `the purpose ${activity.id} uses behavioural data (${behaviour.join(', ')})`,
    );
  const monitoring = activity.categories.filter((c) => within(c, MONITORING_CATEGORIES).length);
  if (monitoring.length)
    found.set(
      'systematic_monitoring',
      `device, location or browsing data is collected as people use the service (${monitoring.join(', ')})`,
    );
  const sensitive = activity.categories.filter((c) => within(c, SPECIAL_OR_HIGHLY_PERSONAL).length);
  if (sensitive.length)
    found.set(
      'sensitive_or_highly_personal_data',
      `special-category or highly personal data (${sensitive.join(', ')})`,
    );
  if (activity.systems.length >= 2)
    found.set(
      'matching_or_combining_datasets',
      `data of ${activity.systems.length} systems is combined (${activity.systems.join(', ')})`,
    );
  const vulnerable = activity.dataSubjects.filter((s) => VULNERABLE_SUBJECTS.includes(s));
  if (vulnerable.length)
    found.set('vulnerable_data_subjects', `data subjects include ${vulnerable.join(', ')}`);
  return found;
}
