/**
 * Every 429 says when to come back, in a Retry-After header (seconds),
 * on the API's problem+json and on pages alike.
 */
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { AppError } from '#core/errors.ts';
import { codePolicy } from '#core/staff/codes.ts';
import { createApp } from '#http/app.ts';
import type { AppEnv } from '#http/env.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, advanceClock, from, nextHour, postJson } from '#test/support/staff.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

describe('429 answers carry Retry-After', () => {
  test('API: a code asked for again too soon — Retry-After is the wait the problem names', async () => {
    const send = from(stack, '198.51.100.140');
    assert.equal((await send('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202);
    advanceClock(stack, 15);
    const res = await send('/api/v1/auth/code?lang=en', postJson({ phone: ADMIN }));
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '45');
    assert.match((await jsonOf(res)).detail, /45 seconds/);
  });

  test('API: an address that sent too many wrong codes this hour — Retry-After until the hour is over', async () => {
    const send = from(stack, '198.51.100.141');
    // One wrong code each for many phones (strangers' limits per phone are never reached).
    for (let i = 0; i < codePolicy.addressFailuresPerHour; i++) {
      assert.equal(
        (
          await send(
            '/api/v1/auth/token',
            postJson({ phone: `+86139000014${String(i).padStart(2, '0')}`, code: '123456' }),
          )
        ).status,
        401,
      );
    }
    const res = await send('/api/v1/auth/token', postJson({ phone: '+8613900001499', code: '123456' }));
    assert.equal(res.status, 429);
    const wait = Number(res.headers.get('retry-after'));
    assert.ok(wait > 0 && wait <= 3600, String(wait));
  });

  test('pages: a 429 page carries it too; and a rate limit without a figure says a minute', async () => {
    const probe = new Hono<AppEnv>();
    probe.get('/page', () => {
      throw new AppError('rate_limited', { seconds: 42 });
    });
    probe.get('/vague', () => {
      throw new AppError('rate_limited');
    });
    const app = createApp(stack.deps, { extraRoutes: [['/probe', probe]] });
    const page = await app.request('/probe/page?lang=en');
    assert.equal(page.status, 429);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(page.headers.get('retry-after'), '42');
    assert.equal((await app.request('/probe/vague')).headers.get('retry-after'), '60');
    const api = new Hono<AppEnv>();
    api.get('/x', () => {
      throw new AppError('rate_limited', { seconds: 7.2 });
    });
    const apiApp = createApp(stack.deps, { extraRoutes: [['/api/probe', api]] });
    const problem = await apiApp.request('/api/probe/x');
    assert.equal(problem.status, 429);
    assert.match(problem.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(problem.headers.get('retry-after'), '8');
  });
});
