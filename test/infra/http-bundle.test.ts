/**
 * What the http Lambda's bundle may not carry (its size is measured in `npm run bench`, against
 * a 660 KB budget): it sends no SMS itself (it hands them over: core/sms/message-jobs.ts) and
 * reads no CSV (it writes the export), so the messenger, the inbound parser and commands, the
 * CSV reader and the price texts belong to other functions. The SMS composer, segmenter and
 * texts are in it since broadcasts: their preview shows each SMS exactly as the phone receives it.
 * Built as the house construct builds it (infra/bundling.ts, via the bench's options).
 */
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { test } from 'vitest';
import { lambdaBuildOptions } from '#test/bench/bundle.ts';

test('the http Lambda bundles no messenger, inbound parser, SMS commands, price texts or CSV reader', async () => {
  const result = await build({
    ...lambdaBuildOptions('functions/handlers/http.ts', '/dev/null/http.mjs'),
    write: false,
    sourcemap: false,
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = [
    /functions\/core\/sms\/(messenger|parser|handle-inbound)\.ts$/,
    /functions\/core\/sms\/commands\//,
    /locales\/(bo|zh|en)\/prices\.json$/,
    /functions\/core\/prices\/(csv\/(rows|decode)|import)\.ts$/,
    /node_modules\/csv-parse\//,
  ];
  const carried = inputs.filter((path) => forbidden.some((re) => re.test(path)));
  assert.deepEqual(carried, []);
  // The guard looks at real inputs: the app itself is in there, translating with i18next (rosetta is gone).
  assert.ok(inputs.some((path) => path.endsWith('functions/http/app.ts')));
  assert.ok(inputs.some((path) => /node_modules\/i18next\//.test(path)));
  assert.ok(!inputs.some((path) => /node_modules\/rosetta\//.test(path)));
  // … and the broadcast preview composes with the senders' own composer.
  assert.ok(inputs.some((path) => path.endsWith('functions/core/sms/compose-sms.ts')));
});
