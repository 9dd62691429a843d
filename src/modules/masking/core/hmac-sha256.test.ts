import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { createHmacSha256 } from './hmac-sha256.ts';
import { createKeyedDigest } from './keyed-digest.ts';

function nodeHmac(key: Buffer, purpose: string, value: string): Buffer {
  return createHmac('sha256', key).update(`${purpose}\u0000${value}`, 'utf8').digest();
}

describe('HMAC-SHA256 from precomputed pad states', () => {
  it('matches RFC 4231 test case 2 (message "what do ya want for nothing?")', () => {
    // The separator is part of every message, so the vector's text is split around nothing: purpose = text before the NUL.
    const digest = createHmacSha256(Buffer.from('Jefe'));
    const expected = createHmac('sha256', 'Jefe').update('what do ya want for nothing?\u0000').digest();
    assert.deepEqual(digest('what do ya want for nothing?', ''), expected);
    assert.equal(
      createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest('hex'),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('equals createHmac for every message length across block boundaries, keys of any length and any text', () => {
    const keys = [16, 32, 63, 64, 65, 200].map((length) =>
      Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) % 256)),
    );
    const pieces = ['a', 'é', '€', '😀', '\u0000', '\ud800', 'ß', '\t'];
    for (const key of keys) {
      const digest = createHmacSha256(key);
      for (let length = 0; length < 260; length++) {
        const value = Array.from({ length }, (_, i) => pieces[(i * 7 + length) % pieces.length]).join('');
        assert.deepEqual(
          digest('email', value),
          nodeHmac(key, 'email', value),
          `key ${key.length}, value ${length}`,
        );
      }
      const long = 'x'.repeat(20_000);
      assert.deepEqual(digest('keyed_token#3', long), nodeHmac(key, 'keyed_token#3', long));
      // The message buffer grew for the long value; short ones after it are still right.
      assert.deepEqual(digest('phone', '+4930123'), nodeHmac(key, 'phone', '+4930123'));
    }
  });

  it('returns a new buffer per call, so a caller may keep a digest while asking for the next', () => {
    const digest = createKeyedDigest(Buffer.from('a-masking-key-of-32-bytes-length'));
    const first = digest('email', 'ann@x.org');
    const copy = Buffer.from(first);
    digest('email', 'ben@x.org');
    assert.deepEqual(first, copy);
  });
});
