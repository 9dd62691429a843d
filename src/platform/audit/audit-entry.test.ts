import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pendingEntryOf, withSubjectPseudonym } from './audit-entry.ts';
import type { AuditEventInput } from './audit-event.ts';
import { canonicalJson } from './canonical-json.ts';

const base: AuditEventInput = {
  tenantId: 'acme-eu',
  actor: { kind: 'api_key', id: 'key_1' },
  action: 'consent.withdrawn',
  object: { type: 'consent', id: 'c"1,"tenant":"x' },
  outcome: 'denied',
};

/** Shapes a pending entry can take, including nested members named like top-level ones. */
const variants: Record<string, Partial<AuditEventInput>> = {
  minimal: {},
  'with reason and request id': { reason: 'no_basis', requestId: 'req-9' },
  'details with nested tenant, subject and time members': {
    details: { tenant: 'other', z: { subject: 1, tenant: 't', time: 'x' }, ü: 'ß', n: 1e21 },
  },
  'everything, unicode in values': {
    reason: 'Grund: Widerruf – ✓',
    requestId: 'r',
    details: { tenant: ',"tenant":' },
  },
};

test('adding the pseudonym to the canonical text equals canonicalising the entry with it', () => {
  for (const [name, variant] of Object.entries(variants)) {
    for (const commitment of [undefined, 'Zm9v']) {
      const pending = pendingEntryOf(
        { ...base, ...variant },
        new Date('2026-03-01T10:00:00.123Z'),
        commitment,
      );
      const spliced = withSubjectPseudonym(canonicalJson(pending), 'pseudo_NYM-1');
      assert.equal(
        spliced,
        canonicalJson({ ...pending, subject: 'pseudo_NYM-1' }),
        `${name}, commitment ${commitment ?? 'none'}`,
      );
    }
  }
});

test('a body without a tenant member is refused', () => {
  assert.throws(() => withSubjectPseudonym('{"action":"a.b"}', 'p'), { code: 'audit.pending_malformed' });
});
