import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveOverlaps } from './overlap-resolution.ts';
import type { PiiFinding } from './pii-types.ts';

const finding = (type: PiiFinding['type'], start: number, end: number, score: number): PiiFinding => ({
  type,
  start,
  end,
  score,
  detector: 'test',
});

test('of overlapping findings the higher score wins', () => {
  const phone = finding('phone_number', 0, 11, 0.55);
  const id = finding('national_id', 0, 11, 0.8);
  assert.deepEqual(resolveOverlaps([phone, id]), [id]);
});

test('on equal scores the longer span wins', () => {
  const short = finding('phone_number', 5, 12, 0.6);
  const long = finding('credit_card', 0, 19, 0.6);
  assert.deepEqual(resolveOverlaps([short, long]), [long]);
});

test('a confident finding wins over a higher-scoring one it encloses', () => {
  const address = finding('postal_address', 0, 40, 0.85);
  const nameInsideTown = finding('person_name', 30, 40, 0.95);
  assert.deepEqual(resolveOverlaps([nameInsideTown, address]), [address]);
});

test('findings that do not overlap all survive, in text order', () => {
  const a = finding('email', 20, 30, 0.9);
  const b = finding('person_name', 0, 10, 0.5);
  const c = finding('phone_number', 10, 20, 0.7);
  assert.deepEqual(resolveOverlaps([a, b, c]), [b, c, a]);
});

test('the result does not depend on the order findings were reported in', () => {
  const findings = [
    finding('url', 0, 30, 0.6),
    finding('email', 10, 25, 0.6),
    finding('ip_address', 12, 20, 0.75),
  ];
  assert.deepEqual(resolveOverlaps(findings), resolveOverlaps([...findings].reverse()));
});
