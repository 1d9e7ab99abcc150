import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found from this file rather than from `process.cwd()`, so that
 * `cdk synth`, the tests and an editor's CDK tooling resolve the same paths from anywhere.
 */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** @example fromRepoRoot('web/static') === '/…/zhingdrok/web/static' */
export function fromRepoRoot(relativePath: string): string {
  return path.join(repoRoot, relativePath);
}
