/** Broadcast ids and fan-out page ids. */
import { createHash, randomInt } from 'node:crypto';
import type { FanOutPosition } from './broadcast.ts';

// Crockford's base32 in lower case: no i, l, o, u, so an id read aloud or retyped stays whole.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const base32 = (value: number, length: number) => {
  let out = '';
  for (let i = 0, v = value; i < length; i++, v = Math.floor(v / 32)) out = ALPHABET[v % 32] + out;
  return out;
};

/**
 * `b` + 7 characters of the time in seconds (ordered until the year 3000) + 3 random ones
 * (32,768 a second; the store refuses a clash, and the caller draws again).
 *
 * @example newBroadcastId(new Date()) // 'b1mz4k0qx7d'
 */
export const newBroadcastId = (now: Date) =>
  `b${base32(Math.floor(now.getTime() / 1000), 7)}${base32(randomInt(32 ** 3), 3)}`;

/** Ids as the service accepts them in routes (anything else is not_found without a read). */
export const isBroadcastId = (id: string) => /^b[0-9a-hjkmnp-tv-z]{10}$/u.test(id);

/**
 * A fan-out page's id: its partition and where in it the page began, so that a page read again
 * after a crash has the same id and its recipients are counted once.
 */
export const pageIdOf = (position: FanOutPosition) =>
  `${position.partition}:${
    position.cursor === undefined
      ? 'start'
      : createHash('sha256').update(position.cursor).digest('base64url').slice(0, 12)
  }`;

/**
 * The id of the broadcast a request makes (`Idempotency-Key`, a form's request id): the same
 * request, the same id, so a resubmission finds the broadcast it made instead of a second one.
 */
export function broadcastIdFor(requestKey: string): string {
  let value = BigInt(`0x${createHash('sha256').update(requestKey).digest('hex').slice(0, 13)}`);
  let out = '';
  for (let i = 0; i < 10; i++, value /= 32n) out = ALPHABET[Number(value % 32n)] + out;
  return `b${out}`;
}
