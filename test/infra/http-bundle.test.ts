/**
 * What the http Lambda's bundle may not carry (its size is measured in `npm run bench`, against
 * a 450 KB budget): it composes no SMS and reads no CSV (it writes the export), so the SMS composer and segmenter,
 * the SMS texts, the inbound parser, the CSV reader and its texts belong to other functions.
 * Built as the house construct builds it (infra/bundling.ts, via the bench's options).
 */
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { test } from 'vitest';
import { lambdaBuildOptions } from '#test/bench/bundle.ts';

test('the http Lambda bundles no SMS composer, SMS texts, inbound parser or CSV reader', async () => {
  const result = await build({
    ...lambdaBuildOptions('functions/handlers/http.ts', '/dev/null/http.mjs'),
    write: false,
    sourcemap: false,
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const forbidden = [
    /functions\/core\/sms\/(compose-sms|fit-to-budget|segments|sms-text|messenger|parser|handle-inbound)\.ts$/,
    /functions\/core\/sms\/commands\//,
    /locales\/(bo|zh|en)\/(sms|prices)\.json$/,
    /functions\/core\/prices\/(csv\/(rows|decode)|import)\.ts$/,
    /node_modules\/csv-parse\//,
  ];
  const carried = inputs.filter((path) => forbidden.some((re) => re.test(path)));
  assert.deepEqual(carried, []);
  // The guard looks at real inputs: the app itself is in there, translating with i18next (rosetta is gone).
  assert.ok(inputs.some((path) => path.endsWith('functions/http/app.ts')));
  assert.ok(inputs.some((path) => /node_modules\/i18next\//.test(path)));
  assert.ok(!inputs.some((path) => /node_modules\/rosetta\//.test(path)));
});
