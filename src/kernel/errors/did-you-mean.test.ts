import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames, didYouMean } from './did-you-mean.ts';

test('a mistyped name gets the nearest known names, best first; a name far from all gets none', () => {
  const systems = ['shop', 'crm', 'newsletter', 'support_desk'];
  assert.deepEqual(closestNames('shpo', systems), ['shop']);
  assert.deepEqual(closestNames('newsleter', systems), ['newsletter']);
  assert.deepEqual(closestNames('Support-Desk', systems), ['support_desk']);
  assert.deepEqual(closestNames('warehouse', systems), []);
  assert.equal(didYouMean('cmr', systems), ' Did you mean "crm"?');
  assert.equal(didYouMean('billing', systems), '');
});
