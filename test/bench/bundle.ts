/**
 * Lambda bundles built the way the house construct (infra/constructs/service-function.ts)
 * has CDK's NodejsFunction build them, from the same settings (infra/bundling.ts), so the
 * bench measures what would be deployed: --bundle --platform=node --format=esm
 * --target=node22 --minify --sourcemap --sources-content=false --main-fields=module,main
 * --banner:js=… --charset=utf8, with the runtime-provided AWS SDK external.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { esmRequireBanner, lambdaTarget, runtimeProvidedModules } from '../../infra/bundling.ts';

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const constructFile = join(repoRoot, 'infra/constructs/service-function.ts');

export type Charset = 'ascii' | 'utf8';

export function lambdaBuildOptions(entry: string, outfile: string, charset: Charset = 'utf8'): BuildOptions {
  return {
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: lambdaTarget,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    external: runtimeProvidedModules,
    charset,
    logLevel: 'silent',
  };
}

export interface BuiltBundle {
  file: string;
  bytes: number;
  mapBytes: number;
  /** Bytes in the output per npm package (or per top-level source folder), largest first. */
  contributors: { name: string; bytes: number }[];
}

/** `node_modules/@aws-sdk/client-dynamodb/dist-es/…` → `@aws-sdk/client-dynamodb`; `functions/http/app.ts` → `functions/http`. */
function contributorOf(inputPath: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath);
  return pkg?.[1] ?? inputPath.split('/').slice(0, 2).join('/');
}

export async function buildBundle(entry: string, outfile: string, charset: Charset = 'utf8'): Promise<BuiltBundle> {
  // The metafile is bookkeeping only: it does not change the output.
  const result = await build({ ...lambdaBuildOptions(entry, outfile, charset), metafile: true });
  const [js, map] = await Promise.all([stat(outfile), stat(`${outfile}.map`)]);
  const totals = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = contributorOf(path);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  const contributors = [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { file: outfile, bytes: js.size, mapBytes: map.size, contributors };
}

/**
 * Notes where the construct no longer says what this file mirrors, so that a drift shows
 * in the report instead of silently measuring another build.
 */
export async function constructDrift(): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(constructFile, 'utf8');
  } catch {
    return ['infra/constructs/service-function.ts not found: bundle options are the bench defaults'];
  }
  const expected: [string, RegExp][] = [
    ['format ESM', /format:\s*OutputFormat\.ESM/],
    ['minify: true', /minify:\s*true/],
    ['sourceMap: true', /sourceMap:\s*true/],
    ['sourcesContent: false', /sourcesContent:\s*false/],
    ['externalModules from infra/bundling.ts', /externalModules:\s*runtimeProvidedModules/],
    ['--charset utf8', /'--charset':\s*'utf8'/],
  ];
  const drift = expected.filter(([, re]) => !re.test(text)).map(([what]) => what);
  return drift.length
    ? [`bundle options may have drifted from service-function.ts (no longer found there: ${drift.join(', ')})`]
    : [];
}
