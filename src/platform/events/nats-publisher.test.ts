import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedSubject } from './nats-publisher.ts';

test('a batch span names the subject its messages share, or the wildcard that covers them', () => {
  assert.equal(sharedSubject(['steward.consent.given', 'steward.consent.given']), 'steward.consent.given');
  assert.equal(sharedSubject(['steward.consent.given', 'steward.consent.withdrawn']), 'steward.consent.>');
  assert.equal(sharedSubject(['steward.consent.given', 'steward.dsr.received']), 'steward.>');
  assert.equal(sharedSubject(['steward.a', 'steward.a.b']), 'steward.>');
  assert.equal(sharedSubject(['a.b', 'c.d']), '>');
});
