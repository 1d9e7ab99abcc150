/** The Chromium lookup that decides whether the browser suite runs, skips or fails. */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { browserRequired, DEFAULT_CHROMIUM_PATHS, findChromium } from './support.ts';

describe('Chromium lookup', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhingdrok-chromium-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('an explicit CHROMIUM_PATH is used alone, never replaced by a default', () => {
    assert.deepEqual(findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' }), {
      found: false,
      tried: ['/nonexistent/chromium'],
    });
  });

  test('an explicit CHROMIUM_PATH must be an executable file', async () => {
    const plain = join(dir, 'not-executable');
    await writeFile(plain, '');
    await chmod(plain, 0o644);
    // root may read anything, but X_OK still needs an execute bit.
    assert.equal(findChromium({ CHROMIUM_PATH: plain }).found, false);
    assert.equal(findChromium({ CHROMIUM_PATH: dir }).found, false, 'a directory is not a browser');
    const executable = join(dir, 'chromium');
    await writeFile(executable, '#!/bin/sh\n');
    await chmod(executable, 0o755);
    assert.deepEqual(findChromium({ CHROMIUM_PATH: executable }), { found: true, path: executable });
  });

  test('without CHROMIUM_PATH the Debian paths are tried in order', () => {
    const lookup = findChromium({});
    if (lookup.found) assert.ok((DEFAULT_CHROMIUM_PATHS as readonly string[]).includes(lookup.path));
    else assert.deepEqual(lookup.tried, [...DEFAULT_CHROMIUM_PATHS]);
  });

  test('only REQUIRE_BROWSER=1 makes a missing browser a failure', () => {
    assert.equal(browserRequired({ REQUIRE_BROWSER: '1' }), true);
    assert.equal(browserRequired({}), false);
    assert.equal(browserRequired({ REQUIRE_BROWSER: '0' }), false);
  });
});
