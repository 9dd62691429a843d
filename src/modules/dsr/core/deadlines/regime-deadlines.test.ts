import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addBusinessDays, addCalendarMonths } from './calendar-date.ts';
import { deadlinesFor, extendDeadline } from './regime-deadlines.ts';

const at = (iso: string) => new Date(iso);

describe('calendar months clamp to the end of shorter months', () => {
  for (const [from, months, expected] of [
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'], // leap year
    ['2028-02-29', 1, '2028-03-29'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2027-03-31', 1, '2027-04-30'],
    ['2027-08-31', 1, '2027-09-30'],
    ['2027-12-31', 2, '2028-02-29'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2027-06-15', 1, '2027-07-15'],
  ] as const) {
    test(`${from} + ${months} month(s) = ${expected}`, () =>
      assert.equal(addCalendarMonths(from, months), expected));
  }
});

describe('business days skip weekends and configured holidays', () => {
  test('ten business days from a Friday end on the second Friday after', () => {
    // 2027-01-01 is a Friday.
    assert.equal(addBusinessDays('2027-01-01', 10), '2027-01-15');
  });
  test('a request received on a Saturday starts counting on Monday', () => {
    assert.equal(addBusinessDays('2027-01-02', 1), '2027-01-04');
  });
  test('a holiday inside the period pushes the end by one business day', () => {
    assert.equal(addBusinessDays('2027-01-01', 10, new Set(['2027-01-11'])), '2027-01-18');
  });
});

describe('GDPR deadlines (Art. 12(3))', () => {
  test('one month from receipt, to the end of that day', () => {
    assert.deepEqual(deadlinesFor('gdpr', at('2027-05-10T14:00:00Z')), {
      dueAt: at('2027-06-10T23:59:59.999Z'),
      confirmationDueAt: null,
    });
  });
  test('received on 31 January of a leap year: due 29 February', () => {
    assert.equal(
      deadlinesFor('gdpr', at('2028-01-31T09:00:00Z')).dueAt.toISOString(),
      '2028-02-29T23:59:59.999Z',
    );
  });
  test('received on 31 January of a common year: due 28 February', () => {
    assert.equal(
      deadlinesFor('gdpr', at('2027-01-31T09:00:00Z')).dueAt.toISOString(),
      '2027-02-28T23:59:59.999Z',
    );
  });
  test('extended by two further months, counted from receipt (31 Jan → 31 Mar → 30 Apr)', () => {
    const receivedAt = at('2028-01-31T09:00:00Z');
    const { dueAt } = deadlinesFor('gdpr', receivedAt);
    const first = extendDeadline({
      regime: 'gdpr',
      receivedAt,
      dueAt,
      extendedSoFar: 0,
      months: 1,
      now: at('2028-02-10T00:00:00Z'),
    });
    assert.deepEqual(first, { dueAt: at('2028-03-31T23:59:59.999Z'), extendedTotal: 1 });
    const second = extendDeadline({
      regime: 'gdpr',
      receivedAt,
      dueAt: first.dueAt,
      extendedSoFar: 1,
      now: at('2028-03-01T00:00:00Z'),
    });
    assert.deepEqual(second, { dueAt: at('2028-04-30T23:59:59.999Z'), extendedTotal: 2 });
  });
  test('no third month', () => {
    const receivedAt = at('2027-01-10T00:00:00Z');
    assert.throws(
      () =>
        extendDeadline({
          regime: 'gdpr',
          receivedAt,
          dueAt: at('2027-04-10T23:59:59.999Z'),
          extendedSoFar: 2,
          now: at('2027-02-01T00:00:00Z'),
        }),
      (error: Error & { code?: string }) => error.code === 'dsr.extension_exhausted',
    );
  });
  test('three months at once are refused with the allowed range', () => {
    assert.throws(
      () =>
        extendDeadline({
          regime: 'gdpr',
          receivedAt: at('2027-01-10T00:00:00Z'),
          dueAt: at('2027-02-10T23:59:59.999Z'),
          extendedSoFar: 0,
          months: 3,
          now: at('2027-01-20T00:00:00Z'),
        }),
      /between 1 and 2/,
    );
  });
  test('an extension after the deadline has passed is refused', () => {
    assert.throws(
      () =>
        extendDeadline({
          regime: 'gdpr',
          receivedAt: at('2027-01-10T00:00:00Z'),
          dueAt: at('2027-02-10T23:59:59.999Z'),
          extendedSoFar: 0,
          now: at('2027-02-11T00:00:00Z'),
        }),
      (error: Error & { code?: string }) => error.code === 'dsr.extension_too_late',
    );
  });
});

describe('CCPA deadlines (§1798.130, Regs §7021)', () => {
  test('confirmation within 10 business days, answer within 45 calendar days', () => {
    // Received Friday 2027-12-24; 45 days later is 2028-02-07.
    const deadlines = deadlinesFor('ccpa', at('2027-12-24T18:00:00Z'), ['2027-12-27', '2028-01-03']);
    assert.equal(deadlines.dueAt.toISOString(), '2028-02-07T23:59:59.999Z');
    // Business days after Fri 24 Dec, skipping weekends and the two holidays: 28,29,30,31 Dec, 4,5,6,7,10,11 Jan.
    assert.equal(deadlines.confirmationDueAt?.toISOString(), '2028-01-11T23:59:59.999Z');
  });
  test('extended once by 45 days, to 90 days after receipt', () => {
    const receivedAt = at('2028-01-15T10:00:00Z');
    const { dueAt } = deadlinesFor('ccpa', receivedAt);
    const extended = extendDeadline({
      regime: 'ccpa',
      receivedAt,
      dueAt,
      extendedSoFar: 0,
      now: at('2028-02-01T00:00:00Z'),
    });
    assert.deepEqual(extended, { dueAt: at('2028-04-14T23:59:59.999Z'), extendedTotal: 45 });
    assert.throws(
      () =>
        extendDeadline({
          regime: 'ccpa',
          receivedAt,
          dueAt: extended.dueAt,
          extendedSoFar: 45,
          now: at('2028-02-02T00:00:00Z'),
        }),
      (error: Error & { code?: string }) => error.code === 'dsr.extension_exhausted',
    );
  });
});
