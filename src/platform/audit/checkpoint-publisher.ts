import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Conflict, Unavailable } from '../../kernel/errors/domain-error.ts';
import type { AuditConfig } from './audit-config-schema.ts';

const TREE_SIZE_FILE = /^(0|[1-9][0-9]*)$/;

/**
 * Publishes a signed checkpoint where the database operator cannot rewrite it: a file named by tree
 * size in `<directory>/<tenant>/` (created exclusively, never overwritten) and/or a POST to an
 * HTTP endpoint. Publishing the same note again is a no-op; a different note for a published size
 * is a split view and refused.
 */
export async function publishCheckpoint(
  publish: AuditConfig['publish'],
  tenantId: string,
  treeSize: number,
  note: string,
): Promise<void> {
  if (publish.directory) writeCheckpointFile(join(publish.directory, tenantId), treeSize, note);
  if (publish.url) await postCheckpoint(publish.url, publish.timeoutMs, tenantId, note);
}

/** The published checkpoint with the largest tree size for a tenant, or undefined if none yet. */
export function latestPublishedCheckpoint(
  directory: string,
  tenantId: string,
): { treeSize: number; note: string } | undefined {
  const folder = join(directory, tenantId);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const sizes = names.filter((name) => TREE_SIZE_FILE.test(name)).map(Number);
  if (sizes.length === 0) return undefined;
  const treeSize = Math.max(...sizes);
  return { treeSize, note: readFileSync(join(folder, String(treeSize)), 'utf8') };
}

function writeCheckpointFile(folder: string, treeSize: number, note: string): void {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, String(treeSize));
  try {
    writeFileSync(file, note, { flag: 'wx', mode: 0o444 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new Unavailable(
        'audit.publish_failed',
        `Cannot write checkpoint ${file}: ${(error as NodeJS.ErrnoException).code}. Check audit.publish.directory.`,
        { file },
      );
    }
    if (readFileSync(file, 'utf8') !== note) {
      throw new Conflict(
        'audit.split_view',
        `A different checkpoint for tree size ${treeSize} is already published in ${file}; the log's history was rewritten.`,
        { file, treeSize },
      );
    }
  }
}

async function postCheckpoint(url: string, timeoutMs: number, tenantId: string, note: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-steward-tenant': tenantId },
      body: note,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Unavailable(
      'audit.publish_failed',
      `Cannot POST the checkpoint to ${url}: ${(error as Error).message}. Check audit.publish.url.`,
      { url },
    );
  }
  if (!response.ok) {
    throw new Unavailable(
      'audit.publish_failed',
      `POST of the checkpoint to ${url} answered HTTP ${response.status}. Check the endpoint.`,
      { url, status: response.status },
    );
  }
}
