import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { Conflict, InvalidInput } from '../errors/domain-error.ts';
import { confirmDestructive } from './confirm-destructive.ts';

/** A terminal as the prompt sees it: streams that say they are TTYs, the user's answer typed in. */
function terminal(answer: string) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true });
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  setImmediate(() => input.write(answer));
  return { io: { input, output }, shown: () => shown };
}

test('on a terminal the summary is shown and only "y" or "yes" goes ahead', async () => {
  const yes = terminal('y\n');
  await confirmDestructive('This run deletes 8,064 row(s).', false, yes.io);
  assert.match(yes.shown(), /This run deletes 8,064 row\(s\)\.\nProceed\? \[y\/N\] /);

  const no = terminal('\n');
  await assert.rejects(
    confirmDestructive('This run deletes 8,064 row(s).', false, no.io),
    (error: unknown) => error instanceof Conflict && error.code === 'cli.not_confirmed',
  );
});

test('without a terminal it refuses unless --yes, saying what it would have done', async () => {
  const script = { input: Object.assign(new PassThrough(), { isTTY: false }), output: new PassThrough() };
  await assert.rejects(
    confirmDestructive('This run deletes 8,064 row(s).', false, script),
    (error: unknown) =>
      error instanceof InvalidInput &&
      error.message ===
        'This run deletes 8,064 row(s). Not run: there is no terminal to confirm on. Add --yes to run it from a script.',
  );
  await confirmDestructive('This run deletes 8,064 row(s).', true, script);
});
