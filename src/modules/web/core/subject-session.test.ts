import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSubjectSession, encodeSubjectSession } from './subject-session.ts';

test('a session survives the round trip through its cookie value until it lapses', () => {
  const session = { tenantId: 'default', subject: 'ana@example.com', expiresAt: 2_000 };
  const value = encodeSubjectSession(session);
  assert.deepEqual(decodeSubjectSession(value, 1_999), session);
  assert.equal(decodeSubjectSession(value, 2_000), undefined);
});

test('a malformed value is no session', () => {
  for (const value of [
    '',
    'not base64 json',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["t",1,2]').toString('base64url'),
  ]) {
    assert.equal(decodeSubjectSession(value, 0), undefined, value);
  }
});
