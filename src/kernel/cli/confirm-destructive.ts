import { createInterface } from 'node:readline/promises';
import { Conflict, InvalidInput } from '../errors/domain-error.ts';

/**
 * The one confirmation of every destructive command (retention run, purge, erasure approval, key
 * rotation, demo reset). `summary` says what will happen, in numbers where the command knows them.
 */
export async function confirmDestructive(
  summary: string,
  yes: boolean,
  io: {
    input: NodeJS.ReadableStream & { isTTY?: boolean };
    output: NodeJS.WritableStream & { isTTY?: boolean };
  } = {
    input: process.stdin,
    output: process.stderr,
  },
): Promise<void> {
  if (yes) return;
  if (!io.input.isTTY || !io.output.isTTY) {
    throw new InvalidInput(
      'cli.confirmation_required',
      `${summary} Not run: there is no terminal to confirm on. Add --yes to run it from a script.`,
    );
  }
  // The question goes to stderr: stdout stays the command's result (and JSON with --json).
  const prompt = createInterface({ input: io.input, output: io.output });
  try {
    const answer = await prompt.question(`${summary}\nProceed? [y/N] `);
    if (!/^\s*y(es)?\s*$/i.test(answer))
      throw new Conflict('cli.not_confirmed', 'Not confirmed: nothing was changed.');
  } finally {
    prompt.close();
  }
}
