/** The local server's static files (the stylesheet), as a browser fetches them: compressed when accepted. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startTestServer, type TestServer } from '#test/support/server.ts';

/** The raw answer (no client-side decoding), so the bytes on the wire can be checked. */
function get(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('static files on the local server', () => {
  let server: TestServer;
  const css = readFileSync(new URL('../../web/static/style.css', import.meta.url));
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  test('the stylesheet is gzip- or deflate-compressed when the browser accepts it, and plain otherwise', async () => {
    const gzip = await get(`${server.url}/static/style.css`, { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(gzip.status, 200);
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.match(String(gzip.headers.vary), /Accept-Encoding/i);
    assert.match(String(gzip.headers['content-type']), /^text\/css/);
    assert.equal(gzip.headers['cache-control'], 'public, max-age=86400');
    assert.ok(gzip.body.length < css.length / 2, `${gzip.body.length} bytes on the wire for ${css.length}`);
    assert.deepEqual(gunzipSync(gzip.body), css);

    const deflate = await get(`${server.url}/static/style.css`, { 'Accept-Encoding': 'deflate' });
    assert.equal(deflate.headers['content-encoding'], 'deflate');
    assert.deepEqual(inflateSync(deflate.body), css);

    const plain = await get(`${server.url}/static/style.css`, {});
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.body, css);
  });
});
