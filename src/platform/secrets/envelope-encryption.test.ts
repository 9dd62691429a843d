import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { openSecret, rewrapSecret, sealSecret } from './envelope-encryption.ts';
import { parseMasterKeyRing } from './master-key-ring.ts';

const keyV1 = randomBytes(32).toString('base64');
const keyV2 = randomBytes(32).toString('base64');
const ringV1 = parseMasterKeyRing(keyV1);
const ringBoth = parseMasterKeyRing(`2:${keyV2},1:${keyV1}`);
const shopDb = { tenantId: 'acme', name: 'shop-db-password' };

describe('envelope encryption', () => {
  test('a sealed value opens with the master key ring and does not contain the plaintext', () => {
    const sealed = sealSecret('hunter2-correct-horse', shopDb, ringV1.newest);
    assert.equal(sealed.masterKeyVersion, 1);
    assert.ok(!sealed.ciphertext.includes(Buffer.from('hunter2')));
    assert.equal(openSecret(sealed, shopDb, ringV1), 'hunter2-correct-horse');
  });

  test('every seal uses a fresh data key and IV', () => {
    const a = sealSecret('same', shopDb, ringV1.newest);
    const b = sealSecret('same', shopDb, ringV1.newest);
    assert.notDeepEqual(a.ciphertext, b.ciphertext);
    assert.notDeepEqual(a.wrappedKey, b.wrappedKey);
  });

  test('a row copied to another tenant or name does not open (AAD binds both)', () => {
    const sealed = sealSecret('s3cret', shopDb, ringV1.newest);
    assert.throws(() => openSecret(sealed, { tenantId: 'globex', name: shopDb.name }, ringV1), {
      code: 'secrets.cannot_decrypt',
    });
    assert.throws(() => openSecret(sealed, { tenantId: 'acme', name: 'other' }, ringV1), {
      code: 'secrets.cannot_decrypt',
    });
  });

  test('one flipped bit in the ciphertext or the wrapped key is detected', () => {
    const sealed = sealSecret('s3cret', shopDb, ringV1.newest);
    const value = Buffer.from(sealed.ciphertext);
    value[14] = (value[14] ?? 0) ^ 1;
    assert.throws(() => openSecret({ ...sealed, ciphertext: value }, shopDb, ringV1), {
      code: 'secrets.cannot_decrypt',
    });
    const wrapped = Buffer.from(sealed.wrappedKey);
    wrapped[20] = (wrapped[20] ?? 0) ^ 1;
    assert.throws(() => openSecret({ ...sealed, wrappedKey: wrapped }, shopDb, ringV1), {
      code: 'secrets.cannot_decrypt',
    });
  });

  test('another key under the same version number is refused, a missing version says which', () => {
    const sealed = sealSecret('s3cret', shopDb, ringV1.newest);
    assert.throws(() => openSecret(sealed, shopDb, parseMasterKeyRing(randomBytes(32).toString('base64'))), {
      code: 'secrets.cannot_decrypt',
    });
    assert.throws(() => openSecret(sealed, shopDb, parseMasterKeyRing(`2:${keyV2}`)), {
      code: 'secrets.master_key_version_missing',
    });
  });

  test('re-wrapping moves the data key to the newest master key and keeps the value ciphertext', () => {
    const sealed = sealSecret('s3cret', shopDb, ringV1.newest);
    const rewrapped = rewrapSecret(sealed, shopDb, ringBoth, ringBoth.newest);
    assert.equal(rewrapped.masterKeyVersion, 2);
    assert.deepEqual(rewrapped.ciphertext, sealed.ciphertext);
    assert.equal(
      openSecret(rewrapped, shopDb, parseMasterKeyRing(`2:${keyV2}`)),
      's3cret',
      'version 1 is no longer needed',
    );
  });

  test('malformed master keys are refused with what to fix', () => {
    assert.throws(() => parseMasterKeyRing(''), { code: 'secrets.master_key_empty' });
    assert.throws(() => parseMasterKeyRing(randomBytes(16).toString('base64')), {
      code: 'secrets.master_key_length',
    });
    assert.throws(() => parseMasterKeyRing(`${keyV1},${keyV2}`), { code: 'secrets.master_key_malformed' });
    assert.throws(() => parseMasterKeyRing(`1:${keyV1},1:${keyV2}`), {
      code: 'secrets.master_key_duplicate',
    });
  });
});
