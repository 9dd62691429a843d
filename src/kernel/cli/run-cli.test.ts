import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runSteward } from '../../../test/support/steward-process.ts';
import { buildProgram } from '../../app/cli/program.ts';
import type { Command } from 'commander';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => [
    [...prefix, sub.name()],
    ...commandPaths(sub, [...prefix, sub.name()]),
  ]);
}

test('`steward --version` prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const result = await runSteward(['--version']);
  assert.deepEqual([result.code, result.stdout, result.stderr], [0, `${version}\n`, '']);
});

describe('`--help` works on every command', () => {
  const paths = commandPaths(buildProgram());
  test('the program has its commands', () => {
    const names = paths.map((path) => path.join(' '));
    for (const expected of ['init', 'serve', 'worker', 'migrate', 'jobs probe'])
      assert.ok(names.includes(expected), expected);
  });
  test(`each of them prints its usage and exits 0`, async () => {
    // A few processes at a time: each one is a real `steward` start.
    const queue = [[], ...paths];
    const failures: string[] = [];
    await Promise.all(
      [1, 2, 3].map(async () => {
        for (let path = queue.shift(); path; path = queue.shift()) {
          const result = await runSteward([...path, '--help']);
          const usage = `Usage: steward${path.length ? ` ${path.join(' ')}` : ''} [`;
          if (result.code !== 0 || !result.stdout.startsWith(usage) || result.stderr !== '')
            failures.push(`${path.join(' ')}: ${result.code} ${result.stderr}`);
        }
      }),
    );
    assert.deepEqual(failures, []);
  });
});

describe('errors are one line `steward: …` and a non-zero exit code; the stack only with --debug', () => {
  test('a usage error exits 64 and suggests the fix', async () => {
    const result = await runSteward(['srve']);
    assert.equal(result.code, 64);
    assert.equal(
      result.stderr,
      "steward: unknown command 'srve' (Did you mean serve?) (run with --help for usage)\n",
    );
  });

  test('an unknown option of a subcommand is a usage error too', async () => {
    const result = await runSteward(['jobs', 'probe', '--cuont', '5']);
    assert.equal(result.code, 64);
    assert.equal(
      result.stderr,
      "steward: unknown option '--cuont' (Did you mean --count?) (run with --help for usage)\n",
    );
  });

  test('a domain error exits with its kind’s code and prints its message only', async () => {
    const result = await runSteward(['--config', '/nonexistent/steward.yaml', 'migrate']);
    assert.equal(result.code, 65);
    assert.equal(
      result.stderr,
      'steward: Config file /nonexistent/steward.yaml does not exist. Create it with `steward init` or fix the path.\n',
    );
  });

  test('with --debug the stack trace follows the message', async () => {
    const result = await runSteward(['--debug', '--config', '/nonexistent/steward.yaml', 'migrate']);
    assert.equal(result.code, 65);
    const [first, ...rest] = result.stderr.trimEnd().split('\n');
    assert.equal(
      first,
      'steward: Config file /nonexistent/steward.yaml does not exist. Create it with `steward init` or fix the path.',
    );
    assert.match(rest.join('\n'), /^InvalidInput: .*\n\s+at loadConfig \(.*load-config\.ts:\d+:\d+\)/);
  });

  test('with --json the error is the problem document the API answers with (RFC 9457), on stdout', async () => {
    const result = await runSteward(['--json', '--config', '/nonexistent/steward.yaml', 'migrate']);
    assert.equal(result.code, 65);
    assert.deepEqual(JSON.parse(result.stdout), {
      type: 'https://steward.dev/problems/invalid-input',
      title: 'The request is not valid',
      status: 400,
      detail:
        'Config file /nonexistent/steward.yaml does not exist. Create it with `steward init` or fix the path.',
      code: 'config.not_found',
      details: { file: '/nonexistent/steward.yaml' },
    });
  });
});
