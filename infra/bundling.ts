/**
 * How every Lambda is bundled, in one place: the CDK construct (service-function.ts) and the
 * bench (test/bench/bundle.ts) both read this, so the bench measures what deploys.
 */

/*
 * ESM output keeps top-level await and `import.meta` working as in local mode. esbuild turns
 * the `require()` calls of bundled CommonJS dependencies into a shim that needs a real
 * `require` in an ES module; the banner provides one. The alias avoids clashing with any
 * bundled symbol named createRequire.
 */
export const esmRequireBanner =
  "import { createRequire as __zhingdrokCreateRequire } from 'node:module';" +
  'const require = __zhingdrokCreateRequire(import.meta.url);';

/**
 * The AWS SDK v3 comes from the nodejs22.x runtime, not from our bundle. Bundled, the SDK
 * (clients + Smithy core) is ~360 KB of each function's ~750 KB and the bigger part of its
 * cold parse; the runtime's copy is maintained and patched by AWS. The price is that the
 * runtime's SDK version, not our lock file's, is what runs: we use only long-stable
 * operations (GetItem/PutItem/UpdateItem/Query, SendMessageBatch, SendTextMessage).
 * @smithy/* goes with it: it is the SDK's own runtime, and one copy must serve both.
 */
export const runtimeProvidedModules = ['@aws-sdk/*', '@smithy/*'];

export const lambdaTarget = 'node22';
