/**
 * Twilio's request signature (X-Twilio-Signature), as its security documentation describes it:
 * base64(HMAC-SHA1(auth token, the full URL the provider called + each POST parameter's name
 * and value, sorted by name, with no separators)). Written here rather than taken from the
 * twilio package, whose SDK is several megabytes for these few lines.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Sorted by name, then value (a repeated name is signed in value order too). */
const byName = (a: [string, string], b: [string, string]) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

export function twilioSignature(authToken: string, url: string, params: Iterable<[string, string]>): string {
  const signed = [...params].sort(byName).reduce((text, [name, value]) => text + name + value, url);
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/** Both sides hashed to one length first, so the comparison takes the same time whatever is sent. */
const digest = (value: string) => createHash('sha256').update(value).digest();

export function validTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  given: string,
): boolean {
  if (!given) return false;
  return timingSafeEqual(digest(twilioSignature(authToken, url, params)), digest(given));
}
