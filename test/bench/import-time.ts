/**
 * Cold import time of a bundle: a fresh `node` per sample imports the bundle file and
 * reports how long `await import()` took. Bundles are sampled in turn (a, b, a, b, …) so
 * that machine noise falls on both alike.
 *
 * The child gets an environment without the project's settings, to show that importing a
 * handler needs none (handlers build their dependencies on first invocation), and runs
 * with --enable-source-maps because the house construct sets that NODE_OPTIONS in Lambda.
 */
import { pathToFileURL } from 'node:url';
import { runToEnd } from './processes.ts';
import { median } from './stats.ts';

const probe = [
  'const url = process.argv[1];',
  'const t0 = performance.now();',
  'const mod = await import(url);',
  'const ms = performance.now() - t0;',
  'process.stdout.write(JSON.stringify({ ms, handler: typeof mod.handler }));',
].join('\n');

export interface ImportSamples {
  samples: number[];
  median: number;
}

/** Only what node itself needs; nothing that the app's config reads. */
function bareEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

async function importOnce(file: string, nodeFlags: string[]): Promise<number> {
  const out = await runToEnd(
    process.execPath,
    [...nodeFlags, '--input-type=module', '-e', probe, pathToFileURL(file).href],
    {
      env: bareEnv(),
      cwd: '/',
      timeoutMs: 30_000,
    },
  );
  const { ms, handler } = JSON.parse(out) as { ms: number; handler: string };
  if (handler !== 'function') throw new Error(`${file}: no exported handler function after import (got ${handler})`);
  return ms;
}

export async function measureImports<K extends string>(
  files: Record<K, string>,
  runs: number,
  nodeFlags: string[] = ['--enable-source-maps'],
): Promise<Record<K, ImportSamples>> {
  const names = Object.keys(files) as K[];
  const samples = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  // One unrecorded round first: the first spawn pays for disk cache misses.
  for (const name of names) await importOnce(files[name], nodeFlags);
  for (let i = 0; i < runs; i++) {
    for (const name of names) samples[name].push(await importOnce(files[name], nodeFlags));
  }
  return Object.fromEntries(
    names.map((name) => [name, { samples: samples[name], median: median(samples[name]) }]),
  ) as Record<K, ImportSamples>;
}
