import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideNotifications, suggestedSeverity } from './breach-assessment.ts';

describe('breach notification decisions (GDPR Art. 33, 34)', () => {
  it('documents without notifying when the breach is unlikely to result in a risk (Art. 33(1))', () => {
    const decision = decideNotifications({ likelihood: 1, severity: 2 });
    assert.equal(decision.level, 'no_risk');
    assert.equal(decision.notifyAuthority, false);
    assert.equal(decision.notifySubjects, false);
    assert.match(decision.authorityReason, /Art\. 33\(1\).*Art\. 33\(5\)/);
  });

  it('notifies the authority, not the subjects, for a risk that is not high', () => {
    const decision = decideNotifications({ likelihood: 2, severity: 3 });
    assert.deepEqual(
      [decision.level, decision.notifyAuthority, decision.notifySubjects],
      ['risk', true, false],
    );
  });

  it('notifies authority and subjects for a high risk (Art. 34(1))', () => {
    const decision = decideNotifications({ likelihood: 3, severity: 3 });
    assert.deepEqual(
      [decision.level, decision.notifyAuthority, decision.notifySubjects],
      ['high_risk', true, true],
    );
    assert.equal(decision.exception, undefined);
  });

  it('Art. 34(3)(a): no communication to subjects when the data was unintelligible (encrypted, key safe)', () => {
    const decision = decideNotifications({
      likelihood: 4,
      severity: 4,
      exceptions: { unintelligible: 'AES-256 disk encryption; the key was not on the stolen laptop' },
    });
    assert.equal(decision.notifyAuthority, true);
    assert.equal(decision.notifySubjects, false);
    assert.equal(decision.exception, 'a');
    assert.match(decision.subjectsReason, /^Art\. 34\(3\)\(a\)/);
  });

  it('Art. 34(3)(b): no communication when later measures make the high risk no longer likely', () => {
    const decision = decideNotifications({
      likelihood: 3,
      severity: 4,
      exceptions: { riskNoLongerLikely: 'the recipient confirmed deletion and the credentials were revoked' },
    });
    assert.deepEqual(
      [decision.notifySubjects, decision.exception, decision.publicCommunication],
      [false, 'b', false],
    );
  });

  it('Art. 34(3)(c): a public communication instead when individual notices need disproportionate effort', () => {
    const decision = decideNotifications({
      likelihood: 3,
      severity: 3,
      exceptions: {
        disproportionateEffort: {
          publicCommunication: 'notice on the home page and in two national newspapers',
        },
      },
    });
    assert.deepEqual(
      [decision.notifySubjects, decision.exception, decision.publicCommunication],
      [false, 'c', true],
    );
  });

  it('ignores the 34(3) exceptions when the risk is not high: there is nothing to except', () => {
    const decision = decideNotifications({
      likelihood: 1,
      severity: 3,
      exceptions: { unintelligible: 'encrypted' },
    });
    assert.equal(decision.exception, undefined);
  });

  it('suggests a serious severity for financial data and a significant one for contact data', () => {
    assert.equal(suggestedSeverity(['user.financial.credit_card', 'user.contact.email']).severity, 3);
    assert.equal(suggestedSeverity(['user.contact.email']).severity, 2);
  });
});
