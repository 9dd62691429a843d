import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { guardRequestInput, MAX_INPUT_DEPTH } from './request-input-guard.ts';

const aRequest = (parts: { params?: unknown; query?: unknown; body?: unknown }) =>
  ({ params: {}, query: Object.create(null), ...parts }) as unknown as FastifyRequest;

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

test('a NUL character is refused wherever it is, keys too, naming where', () => {
  const query = Object.assign(Object.create(null), { subject: 'ab\u0000c' });
  assert.throws(() => guardRequestInput(aRequest({ query })), {
    code: 'request.nul_character',
    message: /^query\.subject /,
  });
  assert.throws(() => guardRequestInput(aRequest({ body: { list: [{ 'k\u0000': 1 }] } })), {
    code: 'request.nul_character',
    message: /^body\.list\[0\] /,
  });
});

test('nesting is refused past the limit, and allowed up to it', () => {
  guardRequestInput(aRequest({ body: nested(MAX_INPUT_DEPTH - 1) }));
  assert.throws(() => guardRequestInput(aRequest({ body: nested(10_000) })), { code: 'request.too_deep' });
});

test('a body handed on as a stream is left to its route', () => {
  guardRequestInput(aRequest({ body: Readable.from(['subject\u0000,purpose\n']) }));
});
