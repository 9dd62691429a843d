/**
 * RFC 9162 checks done in the browser with WebCrypto, so an auditor need not trust the server's
 * word: an entry's leaf hash is SHA-256(0x00 ‖ entry) (§2.1.1), and an inclusion proof recomputes
 * the root from the leaf (§2.1.3.2).
 */

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array<ArrayBuffer>> {
  const input = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    input.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/** SHA-256(0x00 ‖ UTF-8 of the entry as the log stores it), base64. */
export async function leafHashOf(entry: string): Promise<string> {
  const hash = await sha256(new Uint8Array([0]), new TextEncoder().encode(entry));
  return btoa(String.fromCharCode(...hash));
}

/** Whether `proof` shows leaf `index` with `leafHash` in the tree of `treeSize` leaves with root `rootHash` (all base64). */
export async function verifyInclusion(input: {
  index: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
  rootHash: string;
}): Promise<boolean> {
  const { index, treeSize } = input;
  if (index < 0 || index >= treeSize) return false;
  let fn = BigInt(index);
  let sn = BigInt(treeSize - 1);
  let r: Uint8Array = bytesOf(input.leafHash);
  const node = new Uint8Array([1]);
  for (const p of input.proof.map(bytesOf)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await sha256(node, p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await sha256(node, r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameBytes(r, bytesOf(input.rootHash));
}
