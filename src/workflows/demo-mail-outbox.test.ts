import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DsrConfig } from '../modules/dsr/api.ts';
import { routeDemoMailToOutbox } from './demo-mail-outbox.ts';

const AN_SMTP_SERVER: DsrConfig['smtp'] = {
  host: 'mail.example.com',
  port: 587,
  secure: false,
  requireTls: true,
  rejectUnauthorized: true,
  connectionTimeoutMs: 10_000,
};

function outboxFor(demo: boolean, dsr: Pick<DsrConfig, 'outbox' | 'smtp'>): boolean | undefined {
  const config = { demo: { enabled: demo }, dsr: { ...dsr } };
  routeDemoMailToOutbox(config);
  return config.dsr.outbox;
}

test('the demo keeps its mail in the outbox only when no SMTP server is configured and dsr.outbox is not set', () => {
  assert.equal(outboxFor(true, {}), true);
  assert.equal(outboxFor(true, { smtp: AN_SMTP_SERVER }), undefined);
  assert.equal(outboxFor(true, { outbox: false }), false);
  assert.equal(outboxFor(false, {}), undefined, 'without the demo mail goes to SMTP');
  assert.equal(outboxFor(false, { outbox: true }), true, 'an operator may choose the outbox');
});
