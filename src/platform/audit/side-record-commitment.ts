import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The personal details of an audit entry, kept beside the log rather than in it. */
export interface SideRecord {
  subjectRef: string | null;
  sourceAddress: string | null;
}

/**
 * What a leaf stores about its side record: SHA-256 of the salted canonical record. It proves the
 * side record unchanged while it exists; once the side record (and its salt) is destroyed the
 * commitment reveals nothing, and the leaf, hence every proof, is untouched.
 */
export function commitToSideRecord(salt: Uint8Array, record: SideRecord): string {
  const canonical = canonicalJson({
    salt: Buffer.from(salt).toString('base64url'),
    subjectRef: record.subjectRef,
    sourceAddress: record.sourceAddress,
  });
  return createHash('sha256').update(canonical).digest('base64url');
}
