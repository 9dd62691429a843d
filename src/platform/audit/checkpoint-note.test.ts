import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { anAuditSetup } from '../../../test/support/audit-fixtures.ts';
import { loadCheckpointSigner, verifierKeyText } from './audit-keys.ts';
import { hasValidSignature, parseCheckpoint, signCheckpoint } from './checkpoint-note.ts';
import { hashLeaf } from './merkle-hash.ts';
import { parseVerifierKey } from './verifier-key.ts';

const body = {
  origin: 'audit.test.example/default',
  treeSize: 20852163n,
  rootHash: hashLeaf(Buffer.from('root')),
};

test('a signed checkpoint is a C2SP note that verifies with the printed verifier key', () => {
  const setup = anAuditSetup();
  try {
    const signer = loadCheckpointSigner(setup.config);
    const note = signCheckpoint(body, signer);
    const lines = note.split('\n');
    assert.deepEqual(lines.slice(0, 4), [
      'audit.test.example/default',
      '20852163',
      Buffer.from(body.rootHash).toString('base64'),
      '',
    ]);
    assert.match(
      lines[4]!,
      /^\u2014 audit\.test\.example [A-Za-z0-9+/]{91}=$/,
      '— <name> base64(4-byte key id ‖ 64-byte signature)',
    );
    assert.equal(lines[5], '');

    const parsed = parseCheckpoint(note);
    assert.equal(parsed.treeSize, 20852163n);
    const vkey = parseVerifierKey(verifierKeyText(signer.name, signer.publicKey));
    assert.equal(hasValidSignature(parsed, vkey), true);
    const pem = parseVerifierKey(signer.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    assert.equal(hasValidSignature(parsed, pem), true);
  } finally {
    setup.remove();
  }
});

test('a checkpoint with an edited size or root, or signed by another key, is rejected', () => {
  const setup = anAuditSetup();
  try {
    const signer = loadCheckpointSigner(setup.config);
    const vkey = parseVerifierKey(verifierKeyText(signer.name, signer.publicKey));
    const note = signCheckpoint(body, signer);
    assert.equal(hasValidSignature(parseCheckpoint(note.replace('20852163', '20852164')), vkey), false);
    const otherRoot = Buffer.from(hashLeaf(Buffer.from('other'))).toString('base64');
    assert.equal(
      hasValidSignature(
        parseCheckpoint(note.replace(Buffer.from(body.rootHash).toString('base64'), otherRoot)),
        vkey,
      ),
      false,
    );

    const impostor = { ...signer, privateKey: generateKeyPairSync('ed25519').privateKey };
    assert.equal(
      hasValidSignature(parseCheckpoint(signCheckpoint(body, impostor)), vkey),
      false,
      'same name and key id, wrong key',
    );
  } finally {
    setup.remove();
  }
});

test('malformed notes are refused with a reason', () => {
  assert.throws(() => parseCheckpoint('audit.test.example/default\n12\n'), {
    code: 'audit.checkpoint_malformed',
  });
  assert.throws(() => parseCheckpoint('o\n012\nAAAA\n\n\u2014 k AAAAAAAA\n'), /not a decimal number/);
  assert.throws(() => parseCheckpoint('o\n12\nAAAA\n\n\u2014 k AAAAAAAA\n'), /32 bytes/);
  assert.throws(() => parseVerifierKey('name+deadbeef+AQ=='), { code: 'audit.bad_verifier_key' });
});
