#!/usr/bin/env node
// Runs every test file under test/ with node's test runner (Node 20 has no glob support
// for --test). `npm test -- unit http` runs only those layers.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('.', import.meta.url).pathname;
const layers = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'bench' || name === 'fixtures' ? [] : walk(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = walk(root)
  .filter((f) => !layers.length || layers.includes(relative(root, f).split('/')[0]))
  .sort();
if (!files.length) {
  console.error(`no test files found${layers.length ? ` for ${layers.join(', ')}` : ''}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...passThrough, ...files],
  { stdio: 'inherit', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
);
process.exit(result.status ?? 1);
