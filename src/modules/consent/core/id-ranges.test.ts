import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rangeSet, storedRanges } from './id-ranges.ts';

test('ids stored as a plain list (before ranges were kept) read as the same ranges', () => {
  assert.deepEqual(storedRanges([755, 1, 2, 3, 3, 10]), [
    [1, 3],
    [10, 10],
    [755, 755],
  ]);
  assert.deepEqual(storedRanges([[1, 65_535]]), [[1, 65_535]]);
  assert.deepEqual(storedRanges([]), []);
});

test('membership is answered from the ranges, at their edges too', () => {
  const vendors = rangeSet([
    [1, 3],
    [10, 20],
    [755, 755],
  ]);
  assert.deepEqual(
    [0, 1, 3, 4, 9, 10, 20, 21, 754, 755, 756].map((id) => vendors.has(id)),
    [false, true, true, false, false, true, true, false, false, true, false],
  );
  assert.equal(vendors.size, 3 + 11 + 1);
});
