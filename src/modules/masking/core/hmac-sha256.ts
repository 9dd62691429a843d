import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 (RFC 2104 over FIPS 180-4) of many short messages under one key, computed in this
 * thread from the key's two precomputed pad states. A masked copy derives one or more keyed
 * digests per masked cell; `createHmac` per value costs a native object, a key import and two
 * extra compressions of the padded key every time, which made the digest the largest single
 * cost of a copy. Here a message under 56 bytes (`purpose NUL value`, nearly all of them) costs
 * two compressions and no allocation but the 32-byte result. The output is HMAC-SHA256 exactly;
 * the tests compare it with `createHmac` across lengths, block boundaries and encodings.
 */
export function createHmacSha256(key: Buffer): (purpose: string, value: string) => Buffer {
  // RFC 2104 §2: a key longer than the block is hashed first, a shorter one padded with zeros.
  const block = Buffer.alloc(BLOCK_BYTES);
  (key.length > BLOCK_BYTES ? createHash('sha256').update(key).digest() : key).copy(block);
  const innerStart = new Int32Array(INITIAL_STATE);
  const outerStart = new Int32Array(INITIAL_STATE);
  const pad = Buffer.alloc(BLOCK_BYTES);
  for (let i = 0; i < BLOCK_BYTES; i++) pad[i] = block[i]! ^ 0x36;
  compress(innerStart, pad, 0);
  for (let i = 0; i < BLOCK_BYTES; i++) pad[i] = block[i]! ^ 0x5c;
  compress(outerStart, pad, 0);
  block.fill(0);
  pad.fill(0);

  const state = new Int32Array(8);
  // The outer message is always the 32-byte inner hash: one block, its padding fixed.
  const outerBlock = Buffer.alloc(BLOCK_BYTES);
  outerBlock[32] = 0x80;
  outerBlock.writeUInt32BE((BLOCK_BYTES + 32) * 8, 60);
  let message = Buffer.alloc(4 * BLOCK_BYTES);

  return (purpose, value) => {
    // Worst case 3 bytes per UTF-16 unit, plus the separator and up to two blocks of padding.
    const room = 3 * (purpose.length + value.length) + 1 + 2 * BLOCK_BYTES;
    if (room > message.length) message = Buffer.alloc(Math.max(room, 2 * message.length));
    let length = writeUtf8(message, purpose, 0);
    message[length++] = 0;
    length = writeUtf8(message, value, length);
    const blocks = Math.ceil((length + 9) / BLOCK_BYTES);
    const end = blocks * BLOCK_BYTES;
    message[length] = 0x80;
    for (let i = length + 1; i < end - 4; i++) message[i] = 0;
    // The inner message follows the key's pad block; lengths here stay far below 2^29 bytes.
    writeWord(message, end - 4, (BLOCK_BYTES + length) * 8);
    state.set(innerStart);
    for (let offset = 0; offset < end; offset += BLOCK_BYTES) compress(state, message, offset);
    for (let i = 0; i < 8; i++) writeWord(outerBlock, i * 4, state[i]!);
    state.set(outerStart);
    compress(state, outerBlock, 0);
    const digest = Buffer.allocUnsafe(32);
    for (let i = 0; i < 8; i++) writeWord(digest, i * 4, state[i]!);
    return digest;
  };
}

const BLOCK_BYTES = 64;

/** A 32-bit word, big-endian, byte by byte (cheaper than Buffer's checked writers in this loop). */
function writeWord(target: Uint8Array, offset: number, word: number): void {
  target[offset] = word >>> 24;
  target[offset + 1] = word >>> 16;
  target[offset + 2] = word >>> 8;
  target[offset + 3] = word;
}

/** Writes text as UTF-8 at `offset`, returning the end: ASCII byte by byte (most values; cheaper than a native call), the rest by Buffer. */
function writeUtf8(target: Buffer, text: string, offset: number): number {
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return offset + target.write(text, offset, 'utf8');
    target[offset + i] = code;
  }
  return offset + length;
}

/** FIPS 180-4 §5.3.3: the first 32 bits of the fractional parts of the square roots of the first eight primes. */
const INITIAL_STATE = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const ROUND_CONSTANTS = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const schedule = new Int32Array(64);

/** FIPS 180-4 §6.2.2: one 64-byte block into the state (32-bit words, wrapping arithmetic). */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++) {
    const at = offset + i * 4;
    w[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const sigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + sigma1 + ((e & f) ^ (~e & g)) + ROUND_CONSTANTS[i]! + w[i]!) | 0;
    const sigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (sigma0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}
