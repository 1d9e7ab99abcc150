/**
 * Headless Chromium for the browser suite, through playwright-core and the system's Chromium
 * (Debian's `chromium` package) — no browser download.
 *
 * Lookup: `CHROMIUM_PATH` if set (used alone: an explicit path that is wrong is reported, not
 * silently replaced by another browser), else /usr/bin/chromium, else /usr/bin/chromium-browser.
 * With none found the suite's tests are skipped (counted in vitest's summary) with a printed
 * notice, unless `REQUIRE_BROWSER=1` (set by CI), in which case it fails.
 */
import assert from 'node:assert/strict';
import { accessSync, constants, statSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, test } from 'vitest';
import { startTestServer, type TestServer } from '#test/support/server.ts';

export const DEFAULT_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

export type ChromiumLookup = { found: true; path: string } | { found: false; tried: string[] };

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const explicit = env.CHROMIUM_PATH?.trim();
  const candidates = explicit ? [explicit] : [...DEFAULT_CHROMIUM_PATHS];
  const path = candidates.find(isExecutableFile);
  return path ? { found: true, path } : { found: false, tried: candidates };
}

export const browserRequired = (env: NodeJS.ProcessEnv = process.env) => env.REQUIRE_BROWSER === '1';

/**
 * Flags for a machine without network: the background-networking ones stop Chromium from
 * trying (and logging refused connections to) Google services. No sandbox: tests run as root
 * in containers, where Chromium's sandbox cannot start.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
] as const;

/** `extraArgs`: more flags for one suite, e.g. `--host-resolver-rules` to open the server under another name. */
export function launchChromium(executablePath: string, extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs], timeout: 60_000 });
}

/**
 * `describe` for tests that need Chromium. `body` receives the executable path and registers
 * its own before/after hooks (launch once per file, close pages per test).
 */
export function describeBrowser(name: string, body: (executablePath: string) => void): void {
  const lookup = findChromium();
  if (lookup.found) {
    describe(name, () => body(lookup.path));
    return;
  }
  const where = lookup.tried.join(', ');
  if (browserRequired()) {
    const message = `REQUIRE_BROWSER=1 but no Chromium found (tried ${where}); install Debian's chromium or set CHROMIUM_PATH`;
    process.stderr.write(`\n*** ${message} ***\n\n`);
    describe(name, () => {
      test('Chromium is available', () => assert.fail(message));
    });
    return;
  }
  const notice = `browser tests skipped: no Chromium found at ${where} (install Debian's chromium, or set CHROMIUM_PATH)`;
  process.stderr.write(`${notice}\n`);
  // The suite is still collected, skipped, so that vitest's summary line counts its tests as
  // skipped (a notice alone scrolls away). The bodies use the path only inside hooks, which a
  // skipped suite never runs.
  describe.skip(`${name} [${notice}]`, () => body(''));
}

export interface BrowserSession {
  /** The local server under test (set once `before` has run). */
  readonly server: TestServer;
  /** A page in a fresh context (own cookies), JavaScript off, closed after the test. */
  open(locale?: string): Promise<Page>;
}

/**
 * The usual harness of a browser suite: one server and one Chromium per file, a fresh
 * JavaScript-less context per page, everything closed afterwards. Call inside describeBrowser.
 */
export function browserSession(executablePath: string, defaultLocale: string): BrowserSession {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchChromium(executablePath)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  return {
    get server() {
      if (!server) throw new Error('the browser session has not started');
      return server;
    },
    async open(locale = defaultLocale) {
      const context = await browser!.newContext({ baseURL: server!.url, javaScriptEnabled: false, locale });
      contexts.push(context);
      return context.newPage();
    },
  };
}
