/**
 * The headers the public files go out with, the same in both partitions: CloudFront's response
 * headers policies add them in `aws` (infra/constructs/web-distribution.ts), the public-files
 * Lambda sets them in aws-cn (functions/http/public-files.ts). One list, so the two cannot drift.
 *
 * Pure data, no imports: the CDK app and the Lambda bundle read it.
 */

/** HSTS as the bucket behaviours send it: a year, subdomains too. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** A static file opened on its own: no scripts, nothing fetched, inline SVG styles only, never framed. */
export const STATIC_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Attachments are images and PDFs only (checked by content on upload); `object-src 'self'` lets a browser's PDF viewer show one. */
export const ATTACHMENT_CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'";

/** `/static/*` and `/files/attachments/*`: HSTS, nosniff, no framing, no referrer, and the policy given. */
export const securityHeaders = (contentSecurityPolicy: string): Record<string, string> => ({
  'Strict-Transport-Security': STRICT_TRANSPORT_SECURITY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': contentSecurityPolicy,
});

/**
 * `/open-data/*`: what CloudFront's managed CORS-and-SecurityHeadersPolicy sends: any origin may
 * fetch open data (other sites' code is who it is for), with that policy's security headers.
 */
export const OPEN_DATA_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Strict-Transport-Security': 'max-age=31536000',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-XSS-Protection': '1; mode=block',
};
