/**
 * The real `npm run sms` CLI as a child process, both ways: against a running server (its
 * POST /dev/sms), and with nothing listening (the local stack booted in-process on DATA_DIR).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { freePort } from '#test/support/net.ts';
import { startTestServer, type TestServer } from '#test/support/server.ts';

const root = new URL('../../', import.meta.url).pathname;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run sms` does (or through npm itself), with only the given settings. */
function cli(args: string[], env: Record<string, string>, viaNpm = false): Promise<Result> {
  const [cmd, argv] = viaNpm
    ? ['npm', ['run', '-s', 'sms', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'functions/local/sms-cli.ts', ...args]];
  const child = spawn(cmd, argv, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(Boolean(process.env.DYNAMODB_ENDPOINT) && 'runs the embedded store')(
  'npm run sms, with no server listening: the pipeline in-process on DATA_DIR',
  () => {
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'zhingdrok-sms-cli-'));
      env = { PORT: String(await freePort()), DATA_DIR: dir };
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    test('npm run sms -- +8613800000000 "HELP" prints the reply with its encoding and segments', async () => {
      const r = await cli(['+8613800000000', 'HELP'], env, true);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        '→ +8613800000000  [GSM-7, 1 segment]\n[Zhingdrok] Text: PRICE <product>, JOIN <county>, LANG BO/ZH/EN, SCRIPT WYLIE, SUB WEATHER/PEST/PRICE <product>, UNSUB <topic>, STOP, START, DELETE ME\n',
      );
      assert.match(r.stderr, /no server on http:\/\/127\.0\.0\.1:\d+: running the pipeline in this process/);
    });

    test('what it does is kept in DATA_DIR: the subscriber registered above is answered in English', async () => {
      const r = await cli(['13800000000', '注册', '江孜'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Registered in Gyantse County\./);
    });

    test('the same --id twice: no reply the second time; --json prints the /dev/sms answer', async () => {
      const first = await cli(['--json', '--id=cli-1', '+8613900000001', 'རོགས་རམ'], env);
      assert.equal(first.code, 0, first.stderr);
      const body = JSON.parse(first.stdout);
      assert.equal(body.replies.length, 1);
      assert.deepEqual(Object.keys(body.replies[0]).sort(), ['encoding', 'segments', 'text', 'to']);
      assert.equal(body.replies[0].encoding, 'UCS-2');
      const second = await cli(['--id=cli-1', '+8613900000001', 'རོགས་རམ'], env);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout, '(no reply)\n');
    });
  },
);

describe('npm run sms, with a server listening on PORT: its POST /dev/sms', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  test('the message goes through the server: its store has the subscriber and the reply', async () => {
    const port = new URL(server.url).port;
    // DATA_DIR points nowhere useful: the CLI must not boot a stack of its own.
    const r = await cli(['+8613900000002', '帮助'], { PORT: port, DATA_DIR: '/nonexistent/zhingdrok' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`sent to the server at http://127\\.0\\.0\\.1:${port}`));
    assert.match(r.stdout, /^→ \+8613900000002 {2}\[UCS-2, 1 segment\]\n【农牧通】发送：价格 品名｜注册/);
    assert.equal((await server.stack.deps.subscribers.get('+8613900000002'))?.language, 'zh');
    assert.equal((await server.stack.deps.outbound.listTo('+8613900000002', 5)).length, 1);
  });

  test('a server answering with an error → exit 1 with its problem detail', async () => {
    const other = createHttpServer((_, res) => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = other.address() as { port: number };
      const r = await cli(['+8613900000003', 'HELP'], { PORT: String(port), DATA_DIR: '/nonexistent/zhingdrok' });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /answered 404: not here \(is this Zhingdrok's npm start, in local mode\?\)/);
      assert.equal(r.stdout, '');
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

describe('npm run sms, with a server that serves a LAN (no developer tools) on PORT', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ devTools: false });
  });
  afterAll(() => server?.close());

  test('exit 1 saying the server has no developer tools and what to do instead; nothing is sent', async () => {
    const port = new URL(server.url).port;
    const r = await cli(['+8613900000004', 'HELP'], { PORT: port, DATA_DIR: '/nonexistent/zhingdrok' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`the server at http://127\\.0\\.0\\.1:${port} has no developer tools`));
    assert.match(r.stderr, /HOST=0\.0\.0\.0/);
    assert.match(r.stderr, /stop that server and run this again/);
    assert.match(r.stderr, /HOST=127\.0\.0\.1/);
    assert.equal(r.stdout, '');
    assert.equal((await server.stack.deps.outbound.listTo('+8613900000004', 5)).length, 0);
  });
});

describe('npm run sms: bad arguments', () => {
  test('none, a bad phone, a missing text → usage on stderr, exit 2', async () => {
    for (const args of [
      [],
      ['abc', 'HELP'],
      ['+8613800000000'],
      ['--nope', '+8613800000000', 'HELP'],
      ['--id=', '+8613800000000', 'HELP'],
    ]) {
      const r = await cli(args, { PORT: '1' });
      assert.equal(r.code, 2, `${JSON.stringify(args)}: ${r.stderr}`);
      assert.match(r.stderr, /^zhingdrok sms: .+\n\nusage: npm run sms -- /, JSON.stringify(args));
      assert.equal(r.stdout, '');
    }
  });

  test('--help → usage, exit 0', async () => {
    const r = await cli(['--help'], {});
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^usage: npm run sms -- /);
  });

  test('invalid settings → exit 1 naming the variable', async () => {
    const r = await cli(['+8613800000000', 'HELP'], { PORT: 'eighty' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PORT/);
  });
});
