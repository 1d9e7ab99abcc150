/**
 * The public-files Lambda (aws-cn) with API Gateway v2 events of the real shape, on s3rver: the
 * three bucket paths with CloudFront's headers, conditional requests, HEAD, compression, the 302 to
 * S3 for an object over the response limit, and a plain 404 for everything else, `..` and encoded
 * slashes included.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createS3Client } from '#adapters/s3/client.ts';
import { S3PublicObjects } from '#adapters/s3/public-objects.ts';
import { createPublicFilesHandler } from '#handlers/public-files.ts';
import { ATTACHMENT_CONTENT_SECURITY_POLICY, STATIC_CONTENT_SECURITY_POLICY } from '#http/public-file-headers.ts';
import { INLINE_MAX_BYTES } from '#http/public-files.ts';
import { apiGatewayV2Event, lambdaContext } from '#test/fixtures/apigw-v2.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const STATIC_BUCKET = 'zhingdrok-public';
const FILES_BUCKET = 'zhingdrok-test';

let stack: TestStack;
let s3: ReturnType<typeof createS3Client>;
let invoke: ReturnType<typeof createPublicFilesHandler>;

const css = `body { font-family: "Noto Serif Tibetan", serif; }\n${'.price { color: #222; }\n'.repeat(200)}`;
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 7)]);
const csvGz = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);

beforeAll(async () => {
  stack = await startTestStack();
  s3 = createS3Client({ region: 'cn-northwest-1', endpoint: stack.s3Endpoint });
  const put = (Bucket: string, Key: string, Body: Uint8Array | string, extra: Record<string, string> = {}) =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));
  // As BucketDeployment stores them: a type guessed from the name, the deploy's Cache-Control.
  await put(STATIC_BUCKET, 'static/style.css', css, {
    ContentType: 'text/css',
    CacheControl: 'public, max-age=3600, s-maxage=31536000',
  });
  // No stored type: the extension decides.
  await put(STATIC_BUCKET, 'static/icon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>', {
    ContentType: 'binary/octet-stream',
  });
  await put(STATIC_BUCKET, 'open-data/latest/prices.csv.gz', csvGz, {
    ContentType: 'application/gzip',
    CacheControl: 'public, max-age=300',
    ContentDisposition: 'attachment; filename="prices.csv.gz"',
  });
  // A key under open-data/ that is not a snapshot file: never served.
  await put(STATIC_BUCKET, 'open-data/latest/notes.txt', 'internal');
  await put(FILES_BUCKET, 'attachments/g0000000001/f0000000001.pdf', pdf, {
    ContentType: 'application/pdf',
    CacheControl: 'public, max-age=31536000, immutable',
  });
  await put(FILES_BUCKET, 'uploads/g0000000001-f0000000009', pdf, { ContentType: 'application/pdf' });
  await put(FILES_BUCKET, 'attachments/g0000000001/big.pdf', new Uint8Array(INLINE_MAX_BYTES + 1).fill(65), {
    ContentType: 'application/pdf',
  });
  invoke = createPublicFilesHandler({
    objects: new S3PublicObjects(s3),
    staticBucket: STATIC_BUCKET,
    filesBucket: FILES_BUCKET,
  });
});
afterAll(async () => {
  s3?.destroy();
  await stack?.close();
});

/** A presigned URL's signature recomputed from AWS's SigV4 query-string rules (UNSIGNED-PAYLOAD, host signed). */
function sigV4QuerySignature(url: URL, secret: string): string {
  const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
  const rfc3986 = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const params = [...url.searchParams].filter(([k]) => k !== 'X-Amz-Signature');
  const query = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host');
  const canonical = ['GET', url.pathname, query, `host:${url.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const date = url.searchParams.get('X-Amz-Date')!;
  const [, day, region, service] = url.searchParams.get('X-Amz-Credential')!.split('/');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key = hmac(`AWS4${secret}`, day!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  invoke(apiGatewayV2Event({ method, path, headers }), lambdaContext);
const bodyOf = (res: { body: string; isBase64Encoded?: boolean }) =>
  Buffer.from(res.body, res.isBase64Encoded ? 'base64' : 'utf8');

describe('public-files Lambda: served', () => {
  test('/static/*: the stored type and Cache-Control, an ETag, the static security headers', async () => {
    const res = await get('/static/style.css');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/css');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600, s-maxage=31536000');
    assert.match(res.headers.etag!, /^"[0-9a-f]{32}"$/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['content-security-policy'], STATIC_CONTENT_SECURITY_POLICY);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal(bodyOf(res).toString(), css);
  });

  test('/static/*: gzip when the request accepts it, with a weak ETag and Vary', async () => {
    const plain = await get('/static/style.css');
    const res = await get('/static/style.css', { 'accept-encoding': 'br, gzip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(res.headers.etag, `W/${plain.headers.etag}`);
    const body = bodyOf(res);
    assert.ok(body.length < css.length / 4, `${body.length} bytes`);
    assert.equal(gunzipSync(body).toString(), css);
    // The compressed representation's ETag revalidates too.
    assert.equal((await get('/static/style.css', { 'if-none-match': res.headers.etag! })).statusCode, 304);
  });

  test('/static/*: the type by extension where the stored one says nothing; too small to compress', async () => {
    const res = await get('/static/icon.svg', { 'accept-encoding': 'gzip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/svg+xml');
    assert.equal(res.headers['content-encoding'], undefined);
    assert.match(bodyOf(res).toString(), /^<svg/);
  });

  test('/open-data/*: the stored headers, CORS open to every origin, never compressed again', async () => {
    const res = await get('/open-data/latest/prices.csv.gz', { 'accept-encoding': 'gzip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/gzip');
    assert.equal(res.headers['cache-control'], 'public, max-age=300');
    assert.equal(res.headers['content-disposition'], 'attachment; filename="prices.csv.gz"');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-encoding'], undefined);
    assert.deepEqual(bodyOf(res), csvGz);
  });

  test('/files/attachments/*: from the files bucket, with the attachments policy', async () => {
    const res = await get('/files/attachments/g0000000001/f0000000001.pdf', { 'accept-encoding': 'gzip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.headers['content-security-policy'], ATTACHMENT_CONTENT_SECURITY_POLICY);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['content-encoding'], undefined);
    assert.deepEqual(bodyOf(res), pdf);
  });

  test('If-None-Match with the ETag → 304 without a body; another ETag → 200', async () => {
    const first = await get('/files/attachments/g0000000001/f0000000001.pdf');
    const etag = first.headers.etag!;
    const again = await get('/files/attachments/g0000000001/f0000000001.pdf', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    const listed = await get('/open-data/latest/prices.csv.gz', {
      'if-none-match': `"0000", ${(await get('/open-data/latest/prices.csv.gz')).headers.etag}`,
    });
    assert.equal(listed.statusCode, 304);
    assert.equal(listed.headers['access-control-allow-origin'], '*');
    const other = await get('/files/attachments/g0000000001/f0000000001.pdf', { 'if-none-match': '"0000"' });
    assert.equal(other.statusCode, 200);
  });

  test('HEAD: the headers and the length, no body', async () => {
    const res = await get('/static/style.css', {}, 'HEAD');
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers['content-type'], 'text/css');
    assert.equal(res.headers['content-length'], String(Buffer.byteLength(css)));
    assert.match(res.headers.etag!, /^"/);
    assert.equal((await get('/static/missing.css', {}, 'HEAD')).statusCode, 404);
  });

  test(`over ${INLINE_MAX_BYTES} bytes: a 302 to a signed S3 URL good for five minutes, which S3 answers`, async () => {
    const res = await get('/files/attachments/g0000000001/big.pdf');
    assert.equal(res.statusCode, 302);
    assert.equal(res.body, '');
    assert.equal(res.headers['cache-control'], 'no-store');
    const url = new URL(res.headers.location!);
    assert.equal(`${url.protocol}//${url.host}`, stack.s3Endpoint.replace(/\/$/, ''));
    assert.equal(url.pathname, `/${FILES_BUCKET}/attachments/g0000000001/big.pdf`);
    assert.equal(url.searchParams.get('X-Amz-Expires'), '300');
    assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.match(url.searchParams.get('X-Amz-Credential')!, /\/cn-northwest-1\/s3\/aws4_request$/);
    const fetched = await fetch(url);
    assert.equal(fetched.status, 200);
    assert.equal((await fetched.arrayBuffer()).byteLength, INLINE_MAX_BYTES + 1);
    // s3rver does not check query signatures, so the test does, by the SigV4 rules S3 applies.
    assert.equal(url.searchParams.get('X-Amz-Signature'), sigV4QuerySignature(url, 'S3RVER'));
  });
});

describe('public-files Lambda: a plain 404 for anything else', () => {
  const notFound = async (path: string) => {
    const res = await get(path);
    assert.equal(res.statusCode, 404, path);
    assert.equal(res.body, 'Not Found', path);
    assert.doesNotMatch(JSON.stringify(res.headers), /zhingdrok-|bucket/i, path);
  };

  test('keys that are not there', async () => {
    await notFound('/static/nothing.css');
    await notFound('/files/attachments/g0000000001/none.pdf');
    await notFound('/open-data/2020-01-01/prices.csv.gz');
  });

  test('paths outside the three prefixes, and keys outside them', async () => {
    await notFound('/');
    await notFound('/static');
    await notFound('/static/');
    await notFound('/files/uploads/g0000000001-f0000000009');
    await notFound('/files/attachments');
    // Under open-data/ but not a snapshot file.
    await notFound('/open-data/latest/notes.txt');
    await notFound('/api/v1/regions');
  });

  test('`..`, `.`, empty segments, encoded dots and slashes', async () => {
    await notFound('/files/attachments/../uploads/g0000000001-f0000000009');
    await notFound('/static/../open-data/latest/prices.csv.gz');
    await notFound('/static/%2e%2e/open-data/latest/prices.csv.gz');
    await notFound('/files/attachments/g0000000001%2Ff0000000001.pdf');
    await notFound('/files/attachments/g0000000001%2ff0000000001.pdf');
    await notFound('/files/attachments/g0000000001%5Cf0000000001.pdf');
    await notFound('/files/attachments/./g0000000001/f0000000001.pdf');
    await notFound('/files/attachments/g0000000001//f0000000001.pdf');
    await notFound('/static/%E0%A4%A.css');
    // The same keys by their plain paths are served: the refusals above are the paths', not the keys'.
    assert.equal((await get('/files/attachments/g0000000001/f0000000001.pdf')).statusCode, 200);
    assert.equal((await get('/open-data/latest/prices.csv.gz')).statusCode, 200);
  });

  test('methods other than GET and HEAD', async () => {
    const res = await get('/static/style.css', {}, 'POST');
    assert.equal(res.statusCode, 404);
  });
});
