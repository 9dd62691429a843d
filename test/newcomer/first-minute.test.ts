// A newcomer's first minute: `steward serve --demo` (what `npm start` runs) on the embedded default
// says where to go next, warns about nothing, and a data subject request can be verified end to end
// with the code the demo kept in its outbox — read by the CLI while the server runs.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { aConfigFile, runSteward, spawnSteward, type StewardProcess } from '../support/steward-process.ts';
import { waitUntil } from '../support/wait-until.ts';

const WEB_BUILT = existsSync(join(import.meta.dirname, '..', '..', 'dist', 'web', '.vite', 'manifest.json'));

describe('steward serve --demo, as npm start runs it', () => {
  const configFile = aConfigFile({ demo: { people: 40 }, server: { port: 0 }, logging: { level: 'info' } });
  const folder = dirname(configFile);
  let server: StewardProcess;
  let address: string;
  before(async () => {
    server = spawnSteward(['-c', configFile, 'serve', '--demo'], { cwd: folder });
    [, address] = (await server.waitForStdout(
      /is listening on (http:\/\/127\.0\.0\.1:\d+).*\n[^]*Ctrl-C stops Steward\)\n/,
      180_000,
    )) as [string, string];
  });
  after(async () => {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('prints where to go next', () => {
    const printed = server.stdout();
    assert.match(printed, new RegExp(`API docs: ${address}/docs\n`));
    if (WEB_BUILT) {
      assert.match(
        printed,
        new RegExp(`\n {2}Console +${address}/console {3}\\(sign in with the demo owner key\\)\n`),
      );
      assert.match(printed, new RegExp(`\n {2}Privacy center +${address}/privacy\n`));
    }
    assert.match(printed, /\n {2}Demo owner key +stw_\S+ {3}\(new, kept in \.steward\/demo\/owner-key\)\n/);
    assert.match(
      printed,
      new RegExp(
        `\n {2}First request +curl -H "Authorization: Bearer \\$\\(cat \\.steward/demo/owner-key\\)" ${address}/v1/datamap\n`,
      ),
    );
    assert.match(printed, /\n {2}Demo mail +npx steward demo mail /);
  });

  test('warns about nothing: the generated keys are notes for production', () => {
    const entries = server
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    assert.deepEqual(
      entries.filter((entry) => entry.level !== 'info' && entry.level !== 'debug'),
      [],
    );
    const notes = entries.filter((entry) => entry.msg.startsWith('note: '));
    assert.equal(notes.length, 2, 'the master key and the session key');
    assert.ok(existsSync(join(folder, '.steward', 'session.secret')));
  });

  test('the first request works with the demo owner key', async () => {
    const key = /Demo owner key {3}(stw_\S+)/.exec(server.stdout())![1]!;
    const response = await fetch(`${address}/v1/datamap`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200);
  });

  test('a request is verified with the code `steward demo mail` shows while the server runs', async () => {
    const submitted = await fetch(`${address}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'access', identities: { email: 'first.minute@example.com' } }),
    });
    assert.equal(submitted.status, 201, await submitted.clone().text());
    const { id } = (await submitted.json()) as { id: string };

    const code = await waitUntil(
      'the code in the demo outbox',
      async () => {
        const mail = await runSteward(['-c', configFile, 'demo', 'mail', '--json'], { cwd: folder });
        assert.equal(mail.code, 0, mail.stderr);
        const mails = JSON.parse(mail.stdout) as { requestId: string | null; to: string; text: string }[];
        const withCode = mails.find((m) => m.requestId === id && /code: \d{6}/.test(m.text));
        return withCode ? /code: (\d{6})/.exec(withCode.text)![1] : undefined;
      },
      120_000,
    );

    const verified = await fetch(`${address}/v1/requests/${id}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    assert.equal(verified.status, 200, await verified.text());
  });
});
