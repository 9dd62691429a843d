import assert from 'node:assert/strict';
import { test } from 'node:test';
import { valueSignals } from './value-signals.ts';

const validators = (values: string[]) => valueSignals(values).map((signal) => signal.validator);

test('gender words and country codes are found in any letter case, even where upper-casing lengthens them', () => {
  assert.deepEqual(validators(['NON-BINARY', 'Männlich', 'f']), ['gender']);
  assert.ok(validators(['deu', 'FR', 'gbr']).includes('iso-3166'));
  // "ß" upper-cases to "SS", South Sudan's code: a length gate on the value must not hide it.
  assert.ok(validators(['ß']).includes('iso-3166'));
  assert.deepEqual(validators(['non-binary person']), []);
});
