import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidInput } from '../../kernel/errors/domain-error.ts';
import { createTaxonomy } from './taxonomy.ts';

test('ships the fideslang trees: categories, uses and subjects by their dotted keys', () => {
  const taxonomy = createTaxonomy();
  assert.equal(taxonomy.categories.get('user.financial.bank_account')?.name, 'Bank Account Information');
  assert.equal(taxonomy.categories.get('user.contact.email')?.parent, 'user.contact');
  assert.equal(taxonomy.uses.get('essential.service.payment_processing')?.parent, 'essential.service');
  assert.equal(taxonomy.subjects.get('customer')?.name, 'Customer');
  assert.ok(taxonomy.categories.isWithin('user.contact.address.city', 'user.contact'));
  assert.ok(!taxonomy.categories.isWithin('user.contactless', 'user.contact'));
  // Every parent of a shipped key is itself shipped: the trees are complete.
  for (const tree of [taxonomy.categories, taxonomy.uses, taxonomy.subjects]) {
    for (const entry of tree.entries())
      if (entry.parent) assert.ok(tree.get(entry.parent), `${entry.key}'s parent`);
  }
});

test('deprecated fideslang keys are recognised and name their successor', () => {
  const lookup = createTaxonomy().categories.lookup('user.health_and_medical.genetic');
  assert.equal(lookup.status, 'deprecated');
  assert.equal(lookup.status === 'deprecated' && lookup.replacedBy, 'user.health.genetic');
});

test('a mistyped or misplaced key gets suggestions', () => {
  const { categories, uses } = createTaxonomy();
  assert.deepEqual(categories.lookup('user.contact.emial'), {
    status: 'unknown',
    suggestions: ['user.contact.email'],
  });
  assert.deepEqual(categories.lookup('user.bank_account'), {
    status: 'unknown',
    suggestions: ['user.financial.bank_account'],
  });
  assert.deepEqual(uses.lookup('marketing.comunications.email'), {
    status: 'unknown',
    suggestions: ['marketing.communications.email'],
  });
});

test('the config extends the trees below existing parents only', () => {
  const taxonomy = createTaxonomy({
    dataCategories: [{ key: 'user.contact.loyalty_number', name: 'Loyalty number' }],
    dataUses: [{ key: 'essential.service.warranty', name: 'Warranty claims' }],
  });
  assert.equal(taxonomy.categories.lookup('user.contact.loyalty_number').status, 'known');
  assert.equal(taxonomy.categories.get('user.contact.loyalty_number')?.custom, true);
  assert.equal(taxonomy.uses.lookup('essential.service.warranty').status, 'known');
  assert.throws(
    () => createTaxonomy({ dataCategories: [{ key: 'user.pets.name', name: 'Pet name' }] }),
    (error: unknown) =>
      error instanceof InvalidInput &&
      error.code === 'taxonomy.missing_parent' &&
      /Add "user.pets" first/.test(error.message),
  );
  assert.throws(
    () => createTaxonomy({ dataSubjects: [{ key: 'customer', name: 'Again' }] }),
    /already exists/,
  );
});
