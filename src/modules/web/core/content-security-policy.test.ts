import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webContentSecurityPolicy } from './content-security-policy.ts';

test('the pages may run only scripts and styles from files of this origin, and may not be framed', () => {
  const policy = webContentSecurityPolicy(['https://cdn.example.com']);
  const directives = new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  assert.deepEqual(directives.get('style-src'), ["'self'"]);
  assert.deepEqual(directives.get('connect-src'), ["'self'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(directives.get('img-src'), ["'self'", 'data:', 'https://cdn.example.com']);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|nonce-|sha256-/);
});
