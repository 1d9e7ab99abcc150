/**
 * The public files where no CloudFront serves them (aws-cn): `/static/*` from the static bucket's
 * static/ keys, `/open-data/*` from its open-data/ snapshot files, `/files/attachments/*` from the
 * files bucket's attachments/ keys, with the headers CloudFront's behaviours give them in `aws`
 * (infra/constructs/web-distribution.ts, functions/http/public-file-headers.ts). Nothing else: any
 * other path, a `..` or `.` segment, an encoded slash or backslash, a key not there, is a plain 404
 * that names no bucket.
 *
 * A Lambda answer is at most 6 MB, base64 (binary) a third more than the bytes: an object over
 * INLINE_MAX_BYTES is answered with a 302 to a GET URL of the object signed for five minutes, which
 * the browser fetches from S3 itself (adapters/s3/public-objects.ts says how it is signed).
 *
 * @example new Hono().route('/', publicFilesRoutes({ objects, staticBucket, filesBucket }))
 */
import { gzipSync } from 'node:zlib';
import { type Context, Hono } from 'hono';
import type { PublicObjectMeta, PublicObjects } from '#adapters/s3/public-objects.ts';
import { isOpenDataKey, OPEN_DATA_PREFIX } from '#core/prices/open-data-export.ts';
import {
  ATTACHMENT_CONTENT_SECURITY_POLICY,
  OPEN_DATA_HEADERS,
  STATIC_CONTENT_SECURITY_POLICY,
  securityHeaders,
} from './public-file-headers.ts';

/** Bytes answered in the response itself: 4 MB, 5.3 MB as base64, under Lambda's 6 MB. */
export const INLINE_MAX_BYTES = 4 * 1024 * 1024;
/** How long a redirect to S3 stays good: long enough to start a download, short as a leaked link. */
export const PRESIGNED_SECONDS = 5 * 60;
/** CloudFront compresses from 1,000 bytes; under that, gzip's header outweighs what it saves. */
const GZIP_MIN_BYTES = 1000;

export interface PublicFilesDeps {
  objects: PublicObjects;
  /** The static bucket: static/ (the deploy's assets) and open-data/ (the daily snapshots). */
  staticBucket: string;
  /** The files bucket: attachments/ only. */
  filesBucket: string;
  log?: (entry: Record<string, unknown>) => void;
}

interface Mount {
  /** The public path prefix, slash-terminated. */
  path: string;
  bucket: (deps: PublicFilesDeps) => string;
  /** The bucket key for the rest of the path (checked, decoded segments), or undefined: 404. */
  key: (rest: string) => string | undefined;
  headers: Record<string, string>;
  /** Whether compressible text may be gzipped (attachments are images and PDFs: already compressed). */
  compress: boolean;
  /** Content types by extension where the stored one says nothing. */
  typeByExtension: boolean;
}

export const PUBLIC_FILE_MOUNTS: readonly Mount[] = [
  {
    path: '/static/',
    bucket: (d) => d.staticBucket,
    key: (rest) => `static/${rest}`,
    headers: securityHeaders(STATIC_CONTENT_SECURITY_POLICY),
    compress: true,
    typeByExtension: true,
  },
  {
    path: `/${OPEN_DATA_PREFIX}`,
    bucket: (d) => d.staticBucket,
    key: (rest) => (isOpenDataKey(`${OPEN_DATA_PREFIX}${rest}`) ? `${OPEN_DATA_PREFIX}${rest}` : undefined),
    headers: OPEN_DATA_HEADERS,
    compress: true,
    typeByExtension: false,
  },
  {
    path: '/files/attachments/',
    bucket: (d) => d.filesBucket,
    key: (rest) => `attachments/${rest}`,
    headers: securityHeaders(ATTACHMENT_CONTENT_SECURITY_POLICY),
    compress: false,
    typeByExtension: false,
  },
];

/** What BucketDeployment may leave unset for a file of web/static (it guesses from the name too). */
const STATIC_TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  json: 'application/json',
  png: 'image/png',
  ico: 'image/x-icon',
  webp: 'image/webp',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
};
const UNTYPED = new Set(['application/octet-stream', 'binary/octet-stream']);
/** What CloudFront compresses of ours: text, scripts, SVG, CSV, JSON, Markdown. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|x-javascript)|image\/svg\+xml)/;

/**
 * The object key a raw (still percent-encoded) path names below a mount, or undefined. The path
 * is API Gateway's rawPath, not the URL a Request makes of it: that would resolve `..` and
 * `%2e%2e` into another path before anyone could refuse it.
 */
export function keyOfRawPath(rawPath: string, prefix: string): string | undefined {
  if (!rawPath.startsWith(prefix)) return undefined;
  const segments = rawPath.slice(prefix.length).split('/');
  const decoded: string[] = [];
  for (const segment of segments) {
    if (/%(2f|5c)/i.test(segment)) return undefined;
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    // Empty and dot segments, backslashes and control characters: no key of ours has them.
    if (
      text === '' ||
      text === '.' ||
      text === '..' ||
      [...text].some((ch) => ch === '\\' || ch < ' ' || ch === '\x7f')
    )
      return undefined;
    decoded.push(text);
  }
  return decoded.join('/');
}

/** If-None-Match against an ETag, weakly (RFC 9110 §13.1.2): `*`, a list, W/ prefixes ignored. */
const strong = (tag: string) => tag.trim().replace(/^W\//, '');
export const etagMatches = (header: string | undefined, etag: string): boolean =>
  header?.split(',').some((candidate) => candidate.trim() === '*' || strong(candidate) === strong(etag)) ?? false;

const notFound = (c: Context) =>
  c.text('Not Found', 404, { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' });

function typeOf(mount: Mount, key: string, meta: PublicObjectMeta): string {
  const stored = meta.contentType;
  if (stored && !UNTYPED.has(stored)) return stored;
  const extension = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return (mount.typeByExtension && STATIC_TYPES[extension]) || stored || 'application/octet-stream';
}

export function publicFilesRoutes(deps: PublicFilesDeps) {
  const app = new Hono<{ Bindings: { event?: { rawPath?: string } } }>();
  for (const mount of PUBLIC_FILE_MOUNTS) {
    // GET, and HEAD with it (Hono answers a HEAD with the GET route, without the body).
    app.get(`${mount.path}*`, async (c) => {
      const raw = c.env?.event?.rawPath ?? new URL(c.req.url).pathname;
      const rest = keyOfRawPath(raw, mount.path);
      const key = rest === undefined ? undefined : mount.key(rest);
      if (key === undefined) return notFound(c);
      const head = c.req.method === 'HEAD';
      const ifNoneMatch = c.req.header('If-None-Match');
      const read = await deps.objects.read(mount.bucket(deps), key, {
        maxBytes: INLINE_MAX_BYTES,
        headOnly: head,
        matches: (etag) => etagMatches(ifNoneMatch, etag),
      });
      if (!read.found) return notFound(c);
      const { meta } = read;
      const type = typeOf(mount, key, meta);
      const compressible = mount.compress && !meta.contentEncoding && COMPRESSIBLE.test(type);
      const headers: Record<string, string> = { ...mount.headers };
      if (meta.cacheControl) headers['Cache-Control'] = meta.cacheControl;
      if (meta.lastModified) headers['Last-Modified'] = meta.lastModified.toUTCString();
      if (compressible) headers.Vary = 'Accept-Encoding';
      if (meta.etag && etagMatches(ifNoneMatch, meta.etag)) return c.body(null, 304, { ...headers, ETag: meta.etag });
      if (!head && !read.body) {
        // Over INLINE_MAX_BYTES: S3 answers it; the redirect itself is not to be kept.
        const url = await deps.objects.presignGet(mount.bucket(deps), key, PRESIGNED_SECONDS);
        return c.body(null, 302, { ...mount.headers, Location: url, 'Cache-Control': 'no-store' });
      }
      headers['Content-Type'] = type;
      if (meta.contentDisposition) headers['Content-Disposition'] = meta.contentDisposition;
      if (meta.contentEncoding) headers['Content-Encoding'] = meta.contentEncoding;
      const gzip =
        !head &&
        compressible &&
        meta.bytes >= GZIP_MIN_BYTES &&
        /\bgzip\b/i.test(c.req.header('Accept-Encoding') ?? '');
      // A compressed body is another representation: its ETag is weak, as CloudFront makes it.
      if (meta.etag) headers.ETag = gzip ? `W/${strong(meta.etag)}` : meta.etag;
      if (head) return c.body(null, 200, { ...headers, 'Content-Length': String(meta.bytes) });
      if (!gzip) return c.body(read.body as Uint8Array<ArrayBuffer>, 200, headers);
      return c.body(gzipSync(read.body!) as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Encoding': 'gzip' });
    });
  }
  app.notFound(notFound);
  app.onError((err, c) => {
    deps.log?.({ level: 'error', msg: 'public file read failed', error: String(err) });
    return c.text('Internal Server Error', 500, { 'X-Content-Type-Options': 'nosniff' });
  });
  return app;
}
