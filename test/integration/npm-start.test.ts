/** The real `npm start` entry as a child process: banner, health, clean stop, refusals. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { lanUrls } from '#local/dev-tools.ts';
import { freePort } from '#test/support/net.ts';

const root = new URL('../../', import.meta.url).pathname;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitForHealth(url: string, run: Run, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (run.child.exitCode !== null) throw new Error(`exited early:\n${run.output()}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no health within ${ms} ms:\n${run.output()}`);
}

describe.skipIf(Boolean(process.env.DYNAMODB_ENDPOINT) && 'runs the embedded store')('npm start', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhingdrok-start-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('serves, refuses a second start on the same DATA_DIR, stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const first = start({ PORT: String(port), DATA_DIR: dir, ADMIN_PHONES: '+8613800000000' });
    try {
      await waitForHealth(`http://127.0.0.1:${port}`, first);
      assert.match(first.output(), new RegExp(`http://127\\.0\\.0\\.1:${port}`));
      assert.match(first.output(), /\+8613800000000/);
      assert.match(first.output(), /reference data seeded/);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/markets/mkt_lhasa_barkhor`);
      assert.equal(((await res.json()) as { names: { zh: string } }).names.zh, '八廓街');
      // On loopback (the default HOST) the developer tools are there, as the contracts say.
      const sms = await fetch(`http://127.0.0.1:${port}/dev/sms`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: '+8613900000009', text: 'HELP' }),
      });
      assert.equal(sms.status, 200);
      assert.equal(((await sms.json()) as { replies: unknown[] }).replies.length, 1);
      const outbox = await fetch(`http://127.0.0.1:${port}/dev/outbox?to=%2B8613900000009`);
      assert.equal(((await outbox.json()) as unknown[]).length, 1);
      assert.match(first.output(), /\/dev\/outbox\?to=<phone>/);

      const second = start({ PORT: String(await freePort()), DATA_DIR: dir });
      assert.notEqual(await second.exited, 0);
      assert.match(second.output(), /already running on .*\(process \d+\)/);
      assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200, 'the first keeps serving');
    } finally {
      first.child.kill('SIGTERM');
    }
    assert.equal(await first.exited, 0);
    assert.equal(existsSync(join(dir, 'zhingdrok.lock')), false, 'lock released');

    const again = start({ PORT: String(port), DATA_DIR: dir });
    try {
      await waitForHealth(`http://127.0.0.1:${port}`, again);
      assert.doesNotMatch(again.output(), /seeded/, 'existing data is kept, not re-seeded');
    } finally {
      again.child.kill('SIGINT');
    }
    assert.equal(await again.exited, 0);
  });

  /** What each developer tool answers (status codes), asked at `url`. */
  async function devStatuses(url: string) {
    const json = { 'Content-Type': 'application/json' };
    return {
      sms: (
        await fetch(`${url}/dev/sms`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ from: '+8613800000000', text: 'P butter 40' }),
        })
      ).status,
      outbox: (await fetch(`${url}/dev/outbox?to=%2B8613800000000`)).status,
      phone: (await fetch(`${url}/dev/phone`)).status,
      jobs: (await fetch(`${url}/dev/jobs/price-digest`, { method: 'POST', headers: json })).status,
    };
  }
  const noTools = { sms: 404, outbox: 404, phone: 404, jobs: 404 };

  test('HOST=0.0.0.0 (a village LAN): /dev/* is a 404, the sign-in code is on the console only, the banner gives the LAN addresses', async () => {
    const port = await freePort();
    const run = start({
      PORT: String(port),
      HOST: '0.0.0.0',
      DATA_DIR: join(dir, 'lan'),
      ADMIN_PHONES: '+8613800000000',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForHealth(url, run);
      assert.deepEqual(await devStatuses(url), noTools);
      const lan = lanUrls('0.0.0.0', port);
      for (const address of lan) {
        assert.match(run.output(), new RegExp(`LAN: .*${address.replace(/[.[\]]/g, '\\$&')}`));
        assert.equal((await fetch(`${address}/health`)).status, 200, `reachable at ${address}`);
        assert.deepEqual(await devStatuses(address), noTools, address);
      }
      assert.match(run.output(), /developer tools \(\/dev\/\*\): off — HOST=0\.0\.0\.0 is reachable from the network/);
      assert.match(run.output(), /the code SMS is printed here, in this console, and never served over HTTP/);
      assert.doesNotMatch(run.output(), /\/dev\/(sms|outbox|phone|jobs)/, 'the banner points to no developer tool');
      const signIn = await (await fetch(`${url}/sign-in`)).text();
      assert.doesNotMatch(signIn, /\/dev\/(sms|outbox|phone|jobs)/, 'no page links to them');

      const asked = await fetch(`${url}/api/v1/auth/code`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ phone: '+8613800000000' }),
      });
      assert.equal(asked.status, 202);
      for (let i = 0; i < 100 && !/SMS → \+8613800000000 .*\d{6}/.test(run.output()); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.match(run.output(), /SMS → \+8613800000000 .*\d{6}/, 'the code is printed on the console');
      assert.equal((await fetch(`${url}/dev/outbox?to=%2B8613800000000`)).status, 404, 'and not served');
    } finally {
      run.child.kill('SIGTERM');
    }
    assert.equal(await run.exited, 0);
  });

  test('DEV_TOOLS=on with HOST=0.0.0.0 is refused naming both; DEV_TOOLS=off on loopback has no /dev; a bad value is named', async () => {
    const refused = start({
      PORT: String(await freePort()),
      HOST: '0.0.0.0',
      DEV_TOOLS: 'on',
      DATA_DIR: join(dir, 'on'),
    });
    assert.notEqual(await refused.exited, 0);
    assert.match(refused.output(), /DEV_TOOLS: "on" needs HOST on loopback .* but HOST is "0\.0\.0\.0"/);
    assert.equal(existsSync(join(dir, 'on')), false, 'refused before anything started');

    const bad = start({ DEV_TOOLS: 'yes', DATA_DIR: join(dir, 'on') });
    assert.notEqual(await bad.exited, 0);
    assert.match(bad.output(), /DEV_TOOLS/);

    const port = await freePort();
    const off = start({ PORT: String(port), DEV_TOOLS: 'off', DATA_DIR: join(dir, 'off') });
    try {
      await waitForHealth(`http://127.0.0.1:${port}`, off);
      assert.deepEqual(await devStatuses(`http://127.0.0.1:${port}`), noTools);
      assert.match(off.output(), /developer tools \(\/dev\/\*\): off — DEV_TOOLS=off/);
      assert.doesNotMatch(off.output(), /LAN:/);
    } finally {
      off.child.kill('SIGTERM');
    }
    assert.equal(await off.exited, 0);
  });

  test('an invalid setting exits non-zero naming the variable', async () => {
    const run = start({ PORT: 'eighty', DATA_DIR: dir });
    assert.notEqual(await run.exited, 0);
    assert.match(run.output(), /PORT/);
    const bad = start({ ADMIN_PHONES: '13800000000', DATA_DIR: dir });
    assert.notEqual(await bad.exited, 0);
    assert.match(bad.output(), /ADMIN_PHONES/);
  });
});
