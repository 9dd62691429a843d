import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { createLogger } from './logger.ts';
import { REDACTED, redactPersonalData, redactString, withPersonalValues } from './redact-personal-data.ts';

describe('redactString removes what is shaped like personal data or a credential', () => {
  const cases: Array<[what: string, text: string, secret: string]> = [
    [
      'an email address',
      'no customer for philippa.quarrington@example.co.uk',
      'philippa.quarrington@example.co.uk',
    ],
    ['an international phone number', 'call +49 151 1234 5678 back', '+49 151 1234 5678'],
    ['a 00-prefixed phone number', 'sms to 0044 20 7946 0958', '0044 20 7946 0958'],
    ['a North American phone number', 'phone (555) 123-4567 on file', '(555) 123-4567'],
    ['a card number with spaces', 'card 4111 1111 1111 1111 declined', '4111 1111 1111 1111'],
    ['a card number without spaces', 'card 5500005555555559 declined', '5500005555555559'],
    ['an IBAN', 'refund to DE89 3704 0044 0532 0130 00 today', 'DE89 3704 0044 0532 0130 00'],
    ['a public IPv4 address', 'login from 203.0.113.77 failed', '203.0.113.77'],
    ['an IPv6 address', 'login from 2001:db8:85a3::8a2e:370:7334 failed', '2001:db8:85a3::8a2e:370:7334'],
    ['a bearer token', 'Authorization: Bearer abc.DEF-123_xyz', 'abc.DEF-123_xyz'],
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl here', 'eyJhbGciOiJIUzI1NiJ9'],
    ['a Steward API key', 'key stw_live_0123456789abcdefghij was revoked', 'stw_live_0123456789abcdefghij'],
  ];
  for (const [what, text, secret] of cases) {
    test(what, () => {
      const redacted = redactString(text);
      assert.ok(!redacted.includes(secret), `${redacted} still contains ${secret}`);
      assert.ok(redacted.includes(REDACTED));
    });
  }
});

describe('redactString keeps what is not personal', () => {
  const kept: Array<[what: string, text: string]> = [
    [
      'loopback and wildcard listen addresses',
      'Server listening at http://127.0.0.1:8080 and http://0.0.0.0:9000',
    ],
    ['a UUID made mostly of digits', 'job 12345678-1234-4234-8234-123456789012 done'],
    ['an ISO timestamp', 'due 2026-12-29T15:02:08.669Z'],
    ['counts and durations', 'applied 12 migrations in 1834 ms'],
    ['a route pattern', 'GET /v1/dsr/:id/export'],
  ];
  for (const [what, text] of kept) {
    test(what, () => assert.equal(redactString(text), text));
  }
});

describe('redactPersonalData on structured log objects', () => {
  test('values under personal keys are replaced whole, at any depth and in arrays', () => {
    const redacted = redactPersonalData({
      customer: {
        firstName: 'Philippa',
        last_name: 'Quarrington',
        email: 'x',
        address: { street: '221B Baker Street', city: 'London' },
      },
      contacts: [{ phone: 'ext. 12' }],
      headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'sid=abc' },
      ip_address: '10.1.2.3',
      count: 3,
    });
    assert.deepEqual(redacted, {
      customer: { firstName: REDACTED, last_name: REDACTED, email: REDACTED, address: REDACTED },
      contacts: [{ phone: REDACTED }],
      headers: { authorization: REDACTED, cookie: REDACTED },
      ip_address: REDACTED,
      count: 3,
    });
  });

  test("Steward's own identifiers stay readable", () => {
    const line = {
      reqId: 'trace-0a1b2c3d',
      jobId: '12345678-1234-4234-8234-123456789012',
      queue: 'dsr.execute',
      tenantId: 'acme',
      route: '/v1/dsr/:id',
      statusCode: 404,
      responseTime: 12,
    };
    assert.deepEqual(redactPersonalData(line), line);
  });

  test('an error keeps its type, code and stack shape, with personal data scrubbed from the message', () => {
    const error = Object.assign(new Error('no account for philippa@example.com'), {
      code: 'E_NO_ACCOUNT',
      detail: 'Key (email)=(philippa@example.com) exists',
    });
    const redacted = redactPersonalData({ err: error }) as {
      err: { type: string; message: string; code: string; stack: string };
    };
    assert.equal(redacted.err.type, 'Error');
    assert.equal(redacted.err.code, 'E_NO_ACCOUNT');
    assert.equal(redacted.err.message, `no account for ${REDACTED}`);
    assert.doesNotMatch(JSON.stringify(redacted), /philippa/);
  });

  test('deeply nested data is cut off rather than walked without end', () => {
    let nested: Record<string, unknown> = { note: 'philippa@example.com' };
    for (let i = 0; i < 20; i++) nested = { child: nested };
    assert.doesNotMatch(JSON.stringify(redactPersonalData(nested)), /philippa/);
  });
});

describe('values known to be personal are redacted by value, whatever their shape', () => {
  test("a request's customer number and name are redacted from everything logged while its work runs, and only then", async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    await withPersonalValues(['CUST-0931', 'Janet Leakname'], async () => {
      await Promise.resolve();
      logger.warn({ err: new Error('invalid input syntax: "janet leakname"') }, 'lookup of cust-0931 failed');
    });
    logger.info('CUST-0931 is just text outside the work');
    assert.doesNotMatch(lines[0]!, /0931|leakname/i);
    assert.match(lines[1]!, /CUST-0931/);
  });

  test("the logger's free-text pass runs after the shape-based one", () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      redactText: (text) => text.replaceAll('Leakname', '[name]'),
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    logger.info({ note: 'Janet Leakname wrote from ann@example.com' }, 'Leakname');
    const line = JSON.parse(lines[0]!);
    assert.equal(line.note, `Janet [name] wrote from ${REDACTED}`);
    assert.equal(line.msg, '[name]');
  });
});
