import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draftAuthorityNotice, draftSubjectNotice, plainCategory } from './breach-notice-drafts.ts';
import type { BreachRecord } from './breach-record.ts';

const aBreach = (overrides: Partial<BreachRecord> = {}): BreachRecord => ({
  id: 'b1',
  tenantId: 'default',
  title: 'Order export on a public share',
  description: 'An export of orders was reachable without login.',
  nature: { confidentiality: true, integrity: false, availability: false },
  awareAt: '2026-03-27T09:00:00.000Z',
  affected: [{ system: 'shop', collection: 'orders' }],
  categories: ['user.contact.email', 'user.financial'],
  likelyConsequences: '',
  measures: '',
  contact: 'dpo@shop.example',
  notifications: [],
  timeline: [],
  remindersSent: [],
  state: 'open',
  createdAt: '2026-03-27T09:00:00.000Z',
  updatedAt: '2026-03-27T09:00:00.000Z',
  ...overrides,
});

describe('breach notification drafts', () => {
  it('gives the authority Art. 33(3)(a)–(d) and lists what follows in phases (Art. 33(4))', () => {
    const draft = draftAuthorityNotice(aBreach(), 'Europe/Berlin', new Date('2026-03-28T09:00:00Z'));
    assert.deepEqual(
      draft.sections.map((s) => s.article),
      [
        'Art. 33(1)',
        'Art. 33(3)(a)',
        'Art. 33(3)(a)',
        'Art. 33(3)(b)',
        'Art. 33(3)(c)',
        'Art. 33(3)(d)',
        'Art. 33(4)',
      ],
    );
    assert.equal(draft.phase, 'initial');
    assert.match(draft.sections[0]!.text, /ends on 2026-03-30 11:00 CEST \(UTC\+02:00\)/);
    assert.deepEqual(draft.missing, [
      'the number of data subjects and records (Art. 33(3)(a))',
      'the likely consequences (Art. 33(3)(c))',
      'the measures taken or proposed (Art. 33(3)(d))',
    ]);
  });

  it('asks for the reasons for the delay once the 72 hours have passed (Art. 33(1))', () => {
    const late = draftAuthorityNotice(aBreach(), 'UTC', new Date('2026-03-31T09:00:00Z'));
    assert.ok(late.missing.includes('the reasons for the delay (Art. 33(1))'));
    const explained = draftAuthorityNotice(
      aBreach({ delayReason: 'Forensics took four days.' }),
      'UTC',
      new Date('2026-03-31T09:00:00Z'),
    );
    assert.match(explained.sections[0]!.text, /Reasons for the delay: Forensics took four days\./);
  });

  it('speaks plainly to the subjects: no taxonomy keys, what happened and what to do', () => {
    const draft = draftSubjectNotice(aBreach(), 'Europe/Berlin');
    const text = draft.sections.map((s) => s.text).join(' ');
    assert.match(text, /email address, payment details/);
    assert.doesNotMatch(text, /user\./);
    assert.ok(draft.sections.some((s) => s.heading === 'What you can do'));
    assert.equal(plainCategory('user.contact.address.city'), 'postal address');
  });
});
