import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATE_IN_TEXT, parseCalendarDate, plausibleBirthDate } from './calendar-date.ts';

test('dates are read in the ways English, German and French write them', () => {
  const expected = { year: 1985, month: 3, day: 12 };
  for (const written of [
    '1985-03-12',
    '12.03.1985',
    '12/03/1985',
    '12 March 1985',
    'March 12, 1985',
    '12. März 1985',
    '12 mars 1985',
    'March 12th, 1985',
  ]) {
    assert.deepEqual(parseCalendarDate(written), expected, written);
  }
  assert.deepEqual(parseCalendarDate('1er février 1990'), { year: 1990, month: 2, day: 1 });
  // Month first when the day-first reading is impossible (US style).
  assert.deepEqual(parseCalendarDate('03/15/1985'), { year: 1985, month: 3, day: 15 });
});

test('impossible dates are rejected', () => {
  assert.equal(parseCalendarDate('1985-02-30'), undefined);
  assert.equal(parseCalendarDate('31.04.1990'), undefined);
});

test('a birth date is a whole date in the past, at most 125 years ago', () => {
  assert.ok(plausibleBirthDate('1985-03-12'));
  assert.equal(plausibleBirthDate('1850-03-12'), undefined);
  assert.equal(plausibleBirthDate(`${new Date().getUTCFullYear() + 1}-01-01`), undefined);
  assert.equal(plausibleBirthDate('2024-05-17T10:00:00Z'), undefined, 'a timestamp is an event');
});

test('the text pattern finds dates and leaves version numbers and times alone', () => {
  const text = 'born 12 March 1985; v1.2.3 at 12:30; due 2024-06-30; geboren 3. Mai 1977';
  assert.deepEqual(
    [...text.matchAll(DATE_IN_TEXT)].map((match) => match[0]),
    ['12 March 1985', '2024-06-30', '3. Mai 1977'],
  );
});
