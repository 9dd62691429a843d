/**
 * The risk assessment of a personal data breach and the notification decisions it leads to.
 * Likelihood and severity are each rated 1–4 (EDPB Guidelines 9/2022 on breach notification and the
 * ENISA methodology rate both); their product places the breach in one of three bands:
 * - no risk (1–2): "unlikely to result in a risk" — the authority need not be notified (Art. 33(1)),
 *   but the breach is documented all the same (Art. 33(5));
 * - risk (3–6): notify the authority within 72 hours (Art. 33(1));
 * - high risk (8–16): also communicate it to the data subjects without undue delay (Art. 34(1)),
 *   unless an exception of Art. 34(3) applies.
 */
export type Rating = 1 | 2 | 3 | 4;
export type RiskLevel = 'no_risk' | 'risk' | 'high_risk';

export const LIKELIHOOD_LABELS: Record<Rating, string> = {
  1: 'remote',
  2: 'possible',
  3: 'likely',
  4: 'almost certain',
};
export const SEVERITY_LABELS: Record<Rating, string> = {
  1: 'minimal',
  2: 'significant',
  3: 'serious',
  4: 'very serious or irreversible',
};

/** GDPR Art. 34(3): when subjects need not be told individually, each with the facts that support it. */
export interface Article34Exceptions {
  /** (a) the data was protected so it is unintelligible to anyone not authorised (e.g. encrypted, key safe). */
  unintelligible?: string;
  /** (b) measures taken since ensure the high risk is no longer likely to materialise. */
  riskNoLongerLikely?: string;
  /** (c) individual communication would involve disproportionate effort: a public communication instead. */
  disproportionateEffort?: { publicCommunication: string };
}

export interface BreachRiskInput {
  likelihood: Rating;
  severity: Rating;
  exceptions?: Article34Exceptions;
}

export interface NotificationDecision {
  level: RiskLevel;
  score: number;
  notifyAuthority: boolean;
  authorityReason: string;
  notifySubjects: boolean;
  /** 34(3)(c): a public communication replaces individual notices. */
  publicCommunication: boolean;
  subjectsReason: string;
  /** Which of 34(3)(a)–(c) applies, if any. */
  exception?: 'a' | 'b' | 'c';
}

export function riskLevel(likelihood: Rating, severity: Rating): RiskLevel {
  const score = likelihood * severity;
  if (score <= 2) return 'no_risk';
  return score <= 6 ? 'risk' : 'high_risk';
}

/** The notification decisions that follow from an assessment; every reason cites its article. */
export function decideNotifications(input: BreachRiskInput): NotificationDecision {
  const score = input.likelihood * input.severity;
  const level = riskLevel(input.likelihood, input.severity);
  const rated = `likelihood ${LIKELIHOOD_LABELS[input.likelihood]} × severity ${SEVERITY_LABELS[input.severity]} = ${score}`;
  const base = {
    level,
    score,
    notifyAuthority: level !== 'no_risk',
    authorityReason:
      level === 'no_risk'
        ? `Art. 33(1): unlikely to result in a risk to the rights and freedoms of natural persons (${rated}); documented under Art. 33(5) without notification`
        : `Art. 33(1): likely to result in a risk (${rated}); notify the supervisory authority within 72 hours of awareness`,
    publicCommunication: false,
  };
  if (level !== 'high_risk')
    return {
      ...base,
      notifySubjects: false,
      subjectsReason: `Art. 34(1): not likely to result in a high risk (${rated})`,
    };
  const exceptions = input.exceptions ?? {};
  if (exceptions.unintelligible)
    return {
      ...base,
      notifySubjects: false,
      exception: 'a',
      subjectsReason: `Art. 34(3)(a): the data affected was unintelligible to any person not authorised to access it — ${exceptions.unintelligible}`,
    };
  if (exceptions.riskNoLongerLikely)
    return {
      ...base,
      notifySubjects: false,
      exception: 'b',
      subjectsReason: `Art. 34(3)(b): subsequent measures ensure the high risk is no longer likely to materialise — ${exceptions.riskNoLongerLikely}`,
    };
  if (exceptions.disproportionateEffort)
    return {
      ...base,
      notifySubjects: false,
      publicCommunication: true,
      exception: 'c',
      subjectsReason: `Art. 34(3)(c): individual communication would involve disproportionate effort; a public communication informs the subjects as effectively — ${exceptions.disproportionateEffort.publicCommunication}`,
    };
  return {
    ...base,
    notifySubjects: true,
    subjectsReason: `Art. 34(1): likely to result in a high risk (${rated}); communicate the breach to the data subjects without undue delay`,
  };
}

/**
 * A suggested severity from the categories affected, for the person rating the breach: special
 * categories (Art. 9), criminal data (Art. 10), government identifiers, credentials and financial data
 * make consequences serious; contact details alone are significant.
 */
export function suggestedSeverity(categories: readonly string[]): { severity: Rating; because: string[] } {
  const serious = [
    'user.health_and_medical',
    'user.biometric',
    'user.genetic',
    'user.criminal_history',
    'user.government_id',
    'user.authorization.credentials',
    'user.financial',
    'user.demographic.race_ethnicity',
    'user.demographic.political_opinion',
    'user.demographic.religious_belief',
    'user.demographic.sexual_orientation',
    'user.sensor',
  ];
  const because = categories.filter((c) => serious.some((s) => c === s || c.startsWith(`${s}.`)));
  if (because.length) return { severity: 3, because };
  const personal = categories.filter((c) => c.startsWith('user.'));
  return { severity: personal.length ? 2 : 1, because: personal };
}
