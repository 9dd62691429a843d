import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSchema, type StewardConfigInput } from '../app/config/config-schema.ts';
import { routeDemoMailToOutbox } from './demo-mail-outbox.ts';

function outboxFor(input: StewardConfigInput): boolean | undefined {
  const config = configSchema.parse(input);
  routeDemoMailToOutbox(config);
  return config.dsr.outbox;
}

test('the demo keeps its mail in the outbox only when no SMTP server is configured and dsr.outbox is not set', () => {
  assert.equal(outboxFor({ demo: { enabled: true } }), true);
  assert.equal(
    outboxFor({ demo: { enabled: true }, dsr: { smtp: { host: 'mail.example.com' } } }),
    undefined,
  );
  assert.equal(outboxFor({ demo: { enabled: true }, dsr: { outbox: false } }), false);
  assert.equal(outboxFor({}), undefined, 'without the demo mail goes to SMTP');
  assert.equal(outboxFor({ dsr: { outbox: true } }), true, 'an operator may choose the outbox');
});
