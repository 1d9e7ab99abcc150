/**
 * The upload limits as the code enforces them, as the upload page states them, and as the README
 * states them: one figure each for the web form (FORM_LIMITS) and the import API (BODY_LIMITS).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { BODY_LIMITS, FORM_LIMITS } from '#http/app.ts';
import { staffBrowser } from '#test/support/price-web.ts';
import { day } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { uploadLimit } from '#web/price-upload-routes.tsx';

const MB = 1024 * 1024;
const formBytes = FORM_LIMITS['/staff/prices/upload/preview']!;
const apiBytes = BODY_LIMITS['/api/v1/prices/import']!;

describe('upload limits: code, page and README agree', () => {
  let stack: TestStack;
  let collector: Awaited<ReturnType<typeof staffBrowser>>;
  beforeAll(async () => {
    stack = await startTestStack();
    collector = await staffBrowser(stack, '+8613900000811', [{ role: 'collector', regions: ['pref_lhasa'] }]);
  });
  afterAll(() => stack.close());

  test('the upload page states the form limit the code enforces, in every language', async () => {
    assert.equal(uploadLimit, `${formBytes / MB} MB`);
    for (const lang of ['bo', 'zh', 'en']) {
      const html = await (await collector.get(`/staff/prices/upload?lang=${lang}`)).text();
      const said = /id="file-limit"[^>]*>([^<]*)</.exec(html)?.[1] ?? '';
      assert.ok(said.includes(uploadLimit), `${lang}: ${said}`);
      assert.deepEqual(said.match(/\d+(?:\.\d+)?\s*MB/g), [uploadLimit], `${lang}: no other figure`);
    }
  });

  test('the form is read up to exactly that many bytes; one more is the 413 page naming the same figure', async () => {
    const page = await (await collector.get('/staff/prices/upload?lang=en')).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const boundary = 'limit-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="prices.csv"\r\nContent-Type: text/csv\r\n\r\n` +
        `commodity,market,date,price,unit\nbarley_qingke,mkt_lhasa_barkhor,${day(stack, -1)},4.50,jin\n`,
    );
    // The padding is a field of its own, so that the form reaches the limit without making the
    // CSV millions of blank lines long (which only times the CSV reader, not the limit).
    const pad = Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="padding"\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const post = (total: number) => {
      const body = Buffer.concat([head, pad, Buffer.alloc(total - head.length - pad.length - tail.length, 'x'), tail]);
      assert.equal(body.length, total);
      return collector.raw('/staff/prices/upload/preview?lang=en', {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(total) },
        body,
      });
    };
    const atLimit = await post(formBytes);
    assert.notEqual(atLimit.status, 413, 'a form of exactly the limit is read');
    const over = await post(formBytes + 1);
    assert.equal(over.status, 413);
    assert.ok((await over.text()).includes(uploadLimit));
  });

  test('the docs state both limits as the code has them', () => {
    const readme = ['prices.md', 'prices-csv.md']
      .map((page) => readFileSync(new URL(`../../docs/${page}`, import.meta.url), 'utf8'))
      .join('\n')
      .replace(/\s+/g, ' ');
    assert.ok(readme.includes(`the upload form takes at most ${formBytes / MB} MB`), 'the web form');
    assert.ok(
      readme.includes(`The import API (\`POST /api/v1/prices/import\`) takes a body of at most ${apiBytes / MB} MB`),
      'the API',
    );
    assert.ok(readme.includes(`at most ${apiBytes / MB} MB)`), 'the import table row');
  });
});
