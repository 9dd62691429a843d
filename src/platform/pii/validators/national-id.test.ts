import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGermanIdCardNumber } from './icao-check-digit.ts';
import { nationalIdKindsOf } from './national-id.ts';

const subtypes = (value: string) => nationalIdKindsOf(value).map((kind) => kind.subtype);

test('each national identifier with a valid checksum is recognised as its kind', () => {
  const valid: [string, string][] = [
    ['536-90-4399', 'us.ssn'],
    ['2 95 10 99 126 111 93', 'fr.nir'],
    ['36 574 261 809', 'de.idnr'],
    ['15 070649 C 103', 'de.svnr'],
    ['T220001293', 'de.idcard'],
    ['HH 01 23 45 D', 'gb.nino'],
    ['54362315-K', 'es.dni'],
    ['X-2482300-W', 'es.nie'],
    ['RCCMNL83S18D969H', 'it.codicefiscale'],
    ['111222333', 'nl.bsn'],
    ['756.9217.0769.85', 'ch.ahv'],
    ['88022999990', 'be.nn'],
    ['1237 010180', 'at.svnr'],
  ];
  for (const [value, subtype] of valid)
    assert.ok(subtypes(value).includes(subtype), `${value} should be ${subtype}`);
});

test('the same shapes with a wrong check digit are rejected', () => {
  const invalid: [string, string][] = [
    ['2 95 10 99 126 111 94', 'fr.nir'],
    ['36 574 261 808', 'de.idnr'],
    ['15 070649 C 104', 'de.svnr'],
    ['T220001294', 'de.idcard'],
    ['54362315-Z', 'es.dni'],
    ['X-2482300-A', 'es.nie'],
    ['RCCMNL83S18D969A', 'it.codicefiscale'],
    ['111222334', 'nl.bsn'],
    ['756.9217.0769.86', 'ch.ahv'],
    ['2237 010180', 'at.svnr'],
  ];
  for (const [value, subtype] of invalid)
    assert.ok(!subtypes(value).includes(subtype), `${value} is no ${subtype}`);
});

test('US SSNs in never-issued ranges are rejected though they have no checksum', () => {
  assert.deepEqual(subtypes('000-12-3456'), []);
  assert.deepEqual(subtypes('666-12-3456'), []);
  assert.deepEqual(subtypes('123-00-4567'), []);
});

test('the most telling kind comes first when a value fits several', () => {
  const kinds = nationalIdKindsOf('2 95 10 99 126 111 93');
  assert.equal(kinds[0]?.subtype, 'fr.nir');
});

test('German identity card serials carry an ICAO 9303 check digit', () => {
  assert.equal(isGermanIdCardNumber('T22000129 3'), true);
  assert.equal(isGermanIdCardNumber('T220001290'), false);
  assert.equal(isGermanIdCardNumber('A220001293'), false, 'A is not in the serial alphabet');
});
