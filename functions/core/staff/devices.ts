/**
 * Device tokens (OWASP's "device cookie" against lockout attacks): a client that has signed in
 * as a phone gets a token naming a random device id, signed for that phone with AUTH_SECRET.
 * Presented again, it makes the client a known device: its code requests and wrong answers
 * are counted on its own, so an outsider who exhausts the limits of strangers (codes.ts)
 * cannot keep it out. Browsers keep tokens in an HttpOnly cookie (several, for computers that
 * colleagues share); API clients get one in the `Device-Token` header of POST
 * /api/v1/auth/token and send it back in the same header.
 *
 * The token carries no phone: it is checked against the phone the request names, so a token
 * of one phone is worth nothing for another. It is not a credential — it only chooses which
 * budget a try is counted in; a code from the phone is still needed.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const devicePolicy = {
  /** A device that has not signed in for this long is a stranger again. */
  validSeconds: 180 * 24 * 3600,
  /** Tokens a browser keeps (one per phone signed in on it), newest first. */
  perCookie: 4,
} as const;

const macOf = (secret: string, phone: string, id: string, issuedAt: number) =>
  createHmac('sha256', secret).update(`device\n${phone}\n${id}\n${issuedAt}`).digest('base64url').slice(0, 32);

const TOKEN = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{32})$/;

/** A new device id: 128 random bits. */
export const newDeviceId = (): string => randomBytes(16).toString('base64url');

/** `<device id>.<issued, base 36>.<HMAC>`: 62 characters or so, cookie- and header-safe. */
export function mintDeviceToken(secret: string, phone: string, deviceId: string, now: number): string {
  return `${deviceId}.${now.toString(36)}.${macOf(secret, phone, deviceId, now)}`;
}

/** The device id of a token minted for this phone and still valid; undefined otherwise. */
export function deviceIdOf(secret: string, phone: string, token: string, now: number): string | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const [, id, issued, mac] = m as unknown as [string, string, string, string];
  const issuedAt = parseInt(issued, 36);
  if (!(issuedAt <= now && now - issuedAt < devicePolicy.validSeconds)) return undefined;
  const expected = Buffer.from(macOf(secret, phone, id, issuedAt));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
}

/** The first of `tokens` that is a valid device of `phone`: its id and the token itself. */
export function knownDevice(
  secret: string,
  phone: string,
  tokens: readonly string[],
  now: number,
): { id: string; token: string } | undefined {
  for (const token of tokens.slice(0, devicePolicy.perCookie + 1)) {
    const id = deviceIdOf(secret, phone, token, now);
    if (id) return { id, token };
  }
  return undefined;
}

/** The tokens a browser should keep after signing in: the new one first, the one it replaces gone. */
export const keptTokens = (tokens: readonly string[], fresh: string, replaced?: string) =>
  [fresh, ...tokens.filter((t) => t !== replaced && t !== fresh && TOKEN.test(t))].slice(0, devicePolicy.perCookie);
