import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aNewsletterNotice, TEST_ACTOR } from '../../../src/modules/consent/test-support/consent-fixtures.ts';
import { recordConsentChanges } from '../../../src/modules/consent/use-cases/record-consent.ts';
import { startTestApp } from '../../../test/support/test-app.ts';
import type { ConsentDecision as StewardDecision } from '../../../src/modules/consent/core/consent-decision.ts';
import { createConsentClient, type ConsentDecision } from './consent-client.ts';

// The package declares the wire format itself: Steward's answers must still fit it.
const stewardAnswersFit = (decision: StewardDecision): ConsentDecision => decision;
void stewardAnswersFit;

test(`the embedded client answers from Steward, reuses answers for its TTL, and fails closed when Steward is gone`, async () => {
  const testApp = await startTestApp();
  try {
    await aNewsletterNotice(testApp.services);
    const purpose = 'marketing.communications.email';
    await recordConsentChanges(testApp.services, TEST_ACTOR, [
      { subject: 'kim', purpose, jurisdiction: 'DE', action: 'given', source: 'web' },
    ]);
    const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    const { authorization } = await testApp.headers('request_agent');
    const client = createConsentClient({
      baseUrl: address,
      apiKey: authorization!.replace('Bearer ', ''),
      ttlMs: 60_000,
    });

    const [first, never] = await client.checkMany([
      { subject: 'kim', purpose },
      { subject: 'lee', purpose },
    ]);
    assert.deepEqual(
      [first!.allowed, first!.reason, never!.allowed, never!.reason],
      [true, 'consent_given', false, 'never_given'],
    );

    await recordConsentChanges(testApp.services, TEST_ACTOR, [
      { subject: 'kim', purpose, action: 'withdrawn', source: 'web' },
    ]);
    assert.equal(
      (await client.check({ subject: 'kim', purpose })).allowed,
      true,
      'the local answer is reused within its TTL',
    );
    client.invalidate('kim');
    assert.deepEqual((await client.check({ subject: 'kim', purpose })).reason, 'withdrawn');

    await testApp.app.close();
    const down = await client.check({ subject: 'nobody-cached', purpose });
    assert.deepEqual([down.allowed, down.reason], [false, 'error']);
  } finally {
    await testApp.close();
  }
});
