import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  logoOrigins,
  PRIVACY_CENTER_REQUEST_TYPES,
  privacyCenterSchema,
  resolvePrivacyCenter,
} from './privacy-center-config.ts';

test('a tenant without settings is offered every right, each asking for the e-mail address', () => {
  const center = resolvePrivacyCenter('default', {});
  assert.deepEqual(
    center.actions.map((action) => action.type),
    [...PRIVACY_CENTER_REQUEST_TYPES],
  );
  assert.ok(center.actions.every((action) => action.identityInputs.email === 'required'));
  assert.ok(center.actions.find((action) => action.type === 'rectification')!.corrections!.length > 0);
  assert.equal(center.consent.enabled, true);
});

test('configured actions keep their order and fields; e-mail is always required, since the code goes there', () => {
  const settings = privacyCenterSchema.parse({
    actions: [
      { type: 'opt_out', identityInputs: { email: 'optional', phone: 'required' } },
      { type: 'correct', corrections: [{ category: 'user.name', label: 'Name' }] },
      { type: 'rectification' },
    ],
  });
  const center = resolvePrivacyCenter('acme', { acme: settings });
  assert.deepEqual(center.actions[0]!.identityInputs, { email: 'required', phone: 'required' });
  assert.deepEqual(center.actions[1]!.corrections, [{ category: 'user.name', label: 'Name' }]);
  assert.ok(
    center.actions[2]!.corrections!.length > 0,
    'rectification without targets gets the default ones',
  );
  assert.equal(center.tenant, 'acme');
});

test('a bad setting is refused with the key and the fix', () => {
  const result = privacyCenterSchema.safeParse({
    primaryColor: 'blue',
    logoUrl: 'http://insecure.example/logo.png',
  });
  assert.equal(result.success, false);
  const messages = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  assert.ok(messages.some((m) => m.startsWith('primaryColor: must be a colour like #1c7ed6')));
  assert.ok(messages.some((m) => m.startsWith('logoUrl: must be an https:// URL or a path on this server')));
});

test('the content security policy allows images from the origins of configured logos only', () => {
  const configured = {
    a: privacyCenterSchema.parse({ logoUrl: 'https://cdn.example.com/a/logo.svg' }),
    b: privacyCenterSchema.parse({ logoUrl: '/static/logo.png' }),
    c: privacyCenterSchema.parse({ logoUrl: 'https://cdn.example.com/c/logo.svg' }),
  };
  assert.deepEqual(logoOrigins(configured), ['https://cdn.example.com']);
});
