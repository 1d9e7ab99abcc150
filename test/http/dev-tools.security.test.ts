/**
 * The app as a LAN server runs it (no developer tools): every /dev/* request is a 404, whatever
 * its body, and no page points to them. On loopback the contracts (POST /dev/sms, GET
 * /dev/outbox) answer as before.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createApp } from '#http/app.ts';
import { openApiDocument } from '#http/openapi.ts';
import { localRoutes } from '#local/server.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

describe('a server without developer tools (HOST reachable from a LAN)', () => {
  let stack: TestStack;
  let lan: ReturnType<typeof createApp>;
  beforeAll(async () => {
    stack = await startTestStack();
    lan = createApp(stack.deps, {
      extraRoutes: localRoutes(stack.deps, { devTools: false }),
      openApi: openApiDocument,
    });
  });
  afterAll(() => stack.close());

  const json = (body: string): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });

  test('/dev/* is a 404 for every method and body, and nothing is sent or stored', async () => {
    const requests: Array<[string, RequestInit?]> = [
      ['/dev/sms', json(JSON.stringify({ from: '+8613900000501', text: 'JOIN Gyantse' }))],
      ['/dev/sms', json('{not json')],
      ['/dev/outbox?to=%2B8613800000000'],
      ['/dev/phone'],
      ['/dev/jobs/price-digest', json('{}')],
      ['/dev/jobs/price-sweep', json('{}')],
    ];
    for (const [path, init] of requests) {
      const res = await lan.request(path, init);
      assert.equal(res.status, 404, `${init?.method ?? 'GET'} ${path}: ${await res.text()}`);
    }
    // A form post meets the CSRF check first, as on any path: the same answer as one that never existed.
    const form = (body: string): RequestInit => ({
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
      body,
    });
    const never = (await lan.request('/never-existed', form('text=HELP'))).status;
    assert.equal((await lan.request('/dev/sms', form('from=%2B8613900000501&text=HELP'))).status, never);
    assert.equal((await lan.request('/dev/phone', form('number=%2B8613900000501&text=HELP'))).status, never);
    assert.equal(await stack.deps.subscribers.get('+8613900000501'), undefined);
    assert.deepEqual(await stack.deps.outbound.listTo('+8613900000501', 5), []);
  });

  test('no page points to a developer tool', async () => {
    for (const path of ['/', '/sign-in', '/prices', '/markets', '/staff', '/nope']) {
      const html = await (await lan.request(path)).text();
      assert.doesNotMatch(html, /\/dev\//, path);
    }
  });

  test('on loopback the contracts answer as before', async () => {
    const res = await stack.app.request('/dev/sms', json(JSON.stringify({ from: '+8613900000502', text: 'HELP' })));
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { replies: unknown[] }).replies.length, 1);
    const outbox = await stack.app.request('/dev/outbox?to=%2B8613900000502');
    assert.equal(((await outbox.json()) as unknown[]).length, 1);
  });
});
