import { riskLevel, type Rating, type RiskLevel } from './breach-assessment.ts';

/** A risk to the rights and freedoms of data subjects, rated before measures (Art. 35(7)(c)). */
export interface DpiaRisk {
  id: string;
  description: string;
  likelihood: Rating;
  severity: Rating;
}

/** A measure against a risk and the risk that remains after it (Art. 35(7)(d)). */
export interface DpiaMeasure {
  riskId: string;
  measure: string;
  residualLikelihood: Rating;
  residualSeverity: Rating;
}

/**
 * A data protection impact assessment in the structure the ICO and the CNIL use, which follows
 * GDPR Art. 35(7): description, necessity and proportionality, risks, measures, residual risk, the
 * DPO's advice (Art. 35(2)) and whether it was followed, sign-off and the date of the next review
 * (Art. 35(11)).
 */
export interface DpiaContent {
  title: string;
  /** Art. 35(7)(a): the processing operations and purposes, including the legitimate interest. */
  description: string;
  /** Art. 35(7)(b): necessity and proportionality in relation to the purposes. */
  necessity: string;
  risks: DpiaRisk[];
  measures: DpiaMeasure[];
  /** Art. 35(2): the controller seeks the DPO's advice; overruling it is recorded with the reasons. */
  dpoAdvice?: { advice: string; followed: boolean; reasonIfOverruled?: string };
  signOff?: { by: string; at: string };
  /** YYYY-MM-DD: Art. 35(11) review, at least when the risk changes. */
  reviewDate: string;
}

export interface DpiaVersion {
  dpiaId: string;
  version: number;
  /** The screened processing activity, e.g. `controller:analytics.reporting`. */
  activityId: string;
  content: DpiaContent;
  createdBy: string;
  createdAt: string;
}

export interface DpiaEvaluation {
  risks: { id: string; description: string; inherent: RiskLevel; residual: RiskLevel; measures: string[] }[];
  /** The highest residual risk. */
  residualRisk: RiskLevel;
  /** Art. 36(1): high residual risk → consult the supervisory authority before processing. */
  priorConsultationRequired: boolean;
  /** Sections still to write; an incomplete DPIA cannot be signed off. */
  missing: string[];
  reviewOverdue: boolean;
}

const ORDER: Record<RiskLevel, number> = { no_risk: 0, risk: 1, high_risk: 2 };

/** Rates each risk before and after its measures and decides the Art. 36 prior-consultation flag. */
export function evaluateDpia(content: DpiaContent, today: Date): DpiaEvaluation {
  const risks = content.risks.map((risk) => {
    const measures = content.measures.filter((m) => m.riskId === risk.id);
    const inherent = riskLevel(risk.likelihood, risk.severity);
    // Several measures on one risk: the lowest rating any of them reaches is what remains.
    const residual = measures.length
      ? measures
          .map((m) => riskLevel(m.residualLikelihood, m.residualSeverity))
          .sort((a, b) => ORDER[a] - ORDER[b])[0]!
      : inherent;
    return {
      id: risk.id,
      description: risk.description,
      inherent,
      residual,
      measures: measures.map((m) => m.measure),
    };
  });
  const residualRisk = risks.map((r) => r.residual).sort((a, b) => ORDER[b] - ORDER[a])[0] ?? 'no_risk';
  const missing: string[] = [];
  if (!content.description.trim()) missing.push('description of the processing (Art. 35(7)(a))');
  if (!content.necessity.trim()) missing.push('necessity and proportionality (Art. 35(7)(b))');
  if (!content.risks.length)
    missing.push('risks to the rights and freedoms of data subjects (Art. 35(7)(c))');
  for (const r of risks)
    if (!r.measures.length) missing.push(`measures against risk "${r.id}" (Art. 35(7)(d))`);
  if (!content.dpoAdvice) missing.push("the data protection officer's advice (Art. 35(2))");
  if (content.dpoAdvice && !content.dpoAdvice.followed && !content.dpoAdvice.reasonIfOverruled?.trim())
    missing.push("the reasons for not following the DPO's advice");
  return {
    risks,
    residualRisk,
    priorConsultationRequired: residualRisk === 'high_risk',
    missing,
    reviewOverdue: content.reviewDate < today.toISOString().slice(0, 10),
  };
}
