/**
 * Attachments against the S3 protocol (s3rver, the local stand-in): a real browser-style
 * multipart POST to the presigned URL (fetch + FormData, the file last, as an HTML form sends
 * it), S3's 303 to `success_action_redirect`, the policy the form carries, the first bytes and
 * size of an upload, keeping it under its final key with its type, stale uploads, public URLs.
 *
 * s3rver takes the POST but does not check its policy (signature, expiry, content-length-range:
 * S3 does); the test reads the policy document itself to prove what S3 will enforce, and shows
 * that an upload over the limit still reports its true size, which the service then refuses.
 */

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { S3AttachmentFiles } from '#adapters/s3/attachments.ts';
import { createS3Client } from '#adapters/s3/client.ts';
import { s3SdkOf } from '#adapters/s3/lazy-client.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let s3: ReturnType<typeof createS3Client>;
let files: S3AttachmentFiles;
beforeAll(async () => {
  stack = await startTestStack();
  s3 = createS3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint });
  files = new S3AttachmentFiles(s3SdkOf(s3), 'zhingdrok-test', 'http://localhost:3000/files/');
});
afterAll(async () => {
  s3.destroy();
  await stack.close();
});

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(7)]);
const REDIRECT = 'http://localhost:3000/staff/knowledge/g0000000001/uploaded?upload=x&name=a.png';

/** Posts a file to a presigned form as a browser does: every field, then the file. */
async function post(form: { url: string; fields: Record<string, string> }, body: Uint8Array, name = 'a.png') {
  const data = new FormData();
  for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
  data.append('file', new Blob([body], { type: 'application/octet-stream' }), name);
  return fetch(form.url, { method: 'POST', body: data, redirect: 'manual' });
}

describe('presigned POST uploads', () => {
  test('a multipart POST to the presigned form stores uploads/<id> and redirects to our page with bucket, key and etag', async () => {
    const uploadId = `g0000000001-f${randomUUID().slice(0, 8)}`;
    const form = await files.presignUpload({
      uploadId,
      maxBytes: 5 * 1024 * 1024,
      expiresSeconds: 900,
      redirect: REDIRECT,
    });
    expect(form.key).toBe(`uploads/${uploadId}`);
    expect(form.url).toBe(`${stack.s3Endpoint}/zhingdrok-test`);
    expect(form.fields).toMatchObject({ key: form.key, success_action_redirect: REDIRECT });

    const res = await post(form, PNG);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:3000/staff/knowledge/g0000000001/uploaded');
    expect(location.searchParams.get('upload')).toBe('x');
    expect(location.searchParams.get('key')).toBe(form.key);
    expect(location.searchParams.get('bucket')).toBe('zhingdrok-test');

    const seen = await files.inspect(form.key, 16);
    expect(seen?.bytes).toBe(PNG.length);
    expect(Array.from(seen!.head)).toEqual(Array.from(PNG.slice(0, 16)));
  });

  test('the policy S3 enforces: the key, the redirect, 1…maxBytes, and the expiry', async () => {
    const before = Date.now();
    const form = await files.presignUpload({
      uploadId: 'g1-f1',
      maxBytes: 5_242_880,
      expiresSeconds: 900,
      redirect: REDIRECT,
    });
    const policy = JSON.parse(Buffer.from(form.fields.Policy!, 'base64').toString('utf8')) as {
      expiration: string;
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 5_242_880]);
    expect(policy.conditions).toContainEqual({ key: 'uploads/g1-f1' });
    expect(policy.conditions).toContainEqual({ success_action_redirect: REDIRECT });
    expect(policy.conditions).toContainEqual({ bucket: 'zhingdrok-test' });
    const expires = Date.parse(policy.expiration);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 899_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 901_000);
    expect(form.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('an upload id that could leave uploads/ is refused before anything is signed', async () => {
    for (const uploadId of ['../attachments/x', 'a/b', '', 'a b'])
      await expect(
        files.presignUpload({ uploadId, maxBytes: 10, expiresSeconds: 60, redirect: REDIRECT }),
      ).rejects.toThrow(/invalid upload id/);
  });

  test('an upload over the limit (s3rver does not enforce the policy) reports its true size', async () => {
    const form = await files.presignUpload({
      uploadId: `big-${randomUUID().slice(0, 8)}`,
      maxBytes: 100,
      expiresSeconds: 60,
      redirect: REDIRECT,
    });
    expect((await post(form, PNG)).status).toBe(303);
    expect((await files.inspect(form.key, 8))?.bytes).toBe(PNG.length);
    await files.delete(form.key);
    expect(await files.inspect(form.key, 8)).toBeUndefined();
  });
});

describe('keeping, reading and cleaning up', () => {
  test('keep moves the upload to its final key with its type; read and publicUrl serve it', async () => {
    const form = await files.presignUpload({
      uploadId: `keep-${randomUUID().slice(0, 8)}`,
      maxBytes: 1000,
      expiresSeconds: 60,
      redirect: REDIRECT,
    });
    await post(form, PNG);
    const finalKey = `attachments/g0000000001/f${randomUUID().slice(0, 10)}.png`;
    await files.keep(form.key, finalKey, 'image/png');
    expect(await files.inspect(form.key, 8)).toBeUndefined();
    const kept = await files.read(finalKey);
    expect(kept?.type).toBe('image/png');
    expect(Array.from(kept!.body)).toEqual(Array.from(PNG));
    expect(await files.read('attachments/none/none.png')).toBeUndefined();
    expect(files.publicUrl(finalKey)).toBe(`http://localhost:3000/files/${finalKey}`);
    expect(files.publicUrl('attachments/a b/x.pdf')).toBe('http://localhost:3000/files/attachments/a%20b/x.pdf');
  });

  test('an empty upload inspects as 0 bytes; a missing one as undefined', async () => {
    const form = await files.presignUpload({
      uploadId: `empty-${randomUUID().slice(0, 8)}`,
      maxBytes: 10,
      expiresSeconds: 60,
      redirect: REDIRECT,
    });
    expect((await post(form, new Uint8Array())).status).toBe(303);
    expect(await files.inspect(form.key, 8)).toEqual({ bytes: 0, head: new Uint8Array() });
    expect(await files.inspect('uploads/never-posted', 8)).toBeUndefined();
    await files.delete(form.key);
  });

  test('staleUploads lists uploads older than the time given, and only under uploads/', async () => {
    const form = await files.presignUpload({
      uploadId: `stale-${randomUUID().slice(0, 8)}`,
      maxBytes: 1000,
      expiresSeconds: 60,
      redirect: REDIRECT,
    });
    await post(form, PNG);
    const kept = `attachments/g0000000002/f${randomUUID().slice(0, 10)}.png`;
    const other = await files.presignUpload({
      uploadId: `other-${randomUUID().slice(0, 8)}`,
      maxBytes: 1000,
      expiresSeconds: 60,
      redirect: REDIRECT,
    });
    await post(other, PNG);
    await files.keep(other.key, kept, 'image/png');

    const later = await files.staleUploads(new Date(Date.now() + 60_000));
    expect(later).toContain(form.key);
    expect(later.every((k) => k.startsWith('uploads/'))).toBe(true);
    expect(later).not.toContain(kept);
    expect(await files.staleUploads(new Date(Date.now() - 3_600_000))).not.toContain(form.key);
  });
});
