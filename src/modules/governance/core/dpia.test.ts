import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateDpia, type DpiaContent } from './dpia.ts';

const aDpia = (overrides: Partial<DpiaContent> = {}): DpiaContent => ({
  title: 'Loyalty scoring',
  description: 'Customers are scored by purchase history to offer discounts.',
  necessity: 'Scoring uses order totals only; no third-party data.',
  risks: [
    {
      id: 'profiling',
      description: 'Customers are profiled without expecting it',
      likelihood: 4,
      severity: 3,
    },
  ],
  measures: [
    {
      riskId: 'profiling',
      measure: 'Opt-in only; score explained in the account',
      residualLikelihood: 2,
      residualSeverity: 2,
    },
  ],
  dpoAdvice: { advice: 'Proceed with opt-in.', followed: true },
  reviewDate: '2027-01-01',
  ...overrides,
});

describe('DPIA evaluation (GDPR Art. 35, 36)', () => {
  it('rates each risk before and after its measures', () => {
    const evaluation = evaluateDpia(aDpia(), new Date('2026-06-01'));
    assert.deepEqual(
      evaluation.risks.map((r) => [r.inherent, r.residual]),
      [['high_risk', 'risk']],
    );
    assert.equal(evaluation.priorConsultationRequired, false);
    assert.deepEqual(evaluation.missing, []);
  });

  it('flags prior consultation of the authority when a high residual risk remains (Art. 36(1))', () => {
    const evaluation = evaluateDpia(
      aDpia({
        measures: [
          {
            riskId: 'profiling',
            measure: 'Notice in the privacy policy',
            residualLikelihood: 3,
            residualSeverity: 3,
          },
        ],
      }),
      new Date('2026-06-01'),
    );
    assert.equal(evaluation.residualRisk, 'high_risk');
    assert.equal(evaluation.priorConsultationRequired, true);
  });

  it('lists what is missing: measures for a risk, the DPO advice, the reasons for overruling it', () => {
    const noMeasures = evaluateDpia(aDpia({ measures: [], dpoAdvice: undefined }), new Date('2026-06-01'));
    assert.deepEqual(noMeasures.missing, [
      'measures against risk "profiling" (Art. 35(7)(d))',
      "the data protection officer's advice (Art. 35(2))",
    ]);
    const overruled = evaluateDpia(
      aDpia({ dpoAdvice: { advice: 'Do not proceed.', followed: false } }),
      new Date('2026-06-01'),
    );
    assert.deepEqual(overruled.missing, ["the reasons for not following the DPO's advice"]);
  });

  it('is due for review after its review date (Art. 35(11))', () => {
    assert.equal(evaluateDpia(aDpia(), new Date('2027-01-02')).reviewOverdue, true);
    assert.equal(evaluateDpia(aDpia(), new Date('2027-01-01')).reviewOverdue, false);
  });
});
