/** Knowledge item ids, attachment ids and question codes. */
import { createHash, randomInt } from 'node:crypto';
import type { ItemKind } from './item.ts';

// Crockford's base32 in lower case, as broadcast ids (core/broadcasts/ids.ts): no i, l, o, u.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const base32 = (value: number, length: number) => {
  let out = '';
  for (let i = 0, v = value; i < length; i++, v = Math.floor(v / 32)) out = ALPHABET[v % 32] + out;
  return out;
};

/** The kind's letter: g guide, n bulletin (news), a alert. */
export const kindLetter: Record<ItemKind, string> = { guide: 'g', bulletin: 'n', alert: 'a' };

const kindOfLetter: Record<string, ItemKind> = { g: 'guide', n: 'bulletin', a: 'alert' };

/**
 * The kind's letter + 7 characters of the time in seconds (ordered) + 3 random ones; the store
 * refuses a clash and the caller draws again.
 *
 * @example newItemId('guide', new Date()) // 'g1mz4k0qx7d'
 */
export const newItemId = (kind: ItemKind, now: Date) =>
  `${kindLetter[kind]}${base32(Math.floor(now.getTime() / 1000), 7)}${base32(randomInt(32 ** 3), 3)}`;

/** Ids as routes accept them (anything else is not_found without a read). */
export const isItemId = (id: string) => /^[gna][0-9a-hjkmnp-tv-z]{10}$/u.test(id);

/** The kind an id names (undefined for a malformed id). */
export const kindOfId = (id: string): ItemKind | undefined => (isItemId(id) ? kindOfLetter[id[0]!] : undefined);

/**
 * The id of the item a request makes (a form's request id, an `Idempotency-Key`): the same
 * request, the same id, so a resubmission finds the item it made instead of a second one.
 */
export function itemIdFor(kind: ItemKind, seed: string): string {
  let value = BigInt(`0x${createHash('sha256').update(`${kind}:${seed}`).digest('hex').slice(0, 13)}`);
  let out = '';
  for (let i = 0; i < 10; i++, value /= 32n) out = ALPHABET[Number(value % 32n)] + out;
  return `${kindLetter[kind]}${out}`;
}

/** `f` + 10 base32 characters: an attachment (and its upload). */
export const newAttachmentId = (now: Date) =>
  `f${base32(Math.floor(now.getTime() / 1000), 7)}${base32(randomInt(32 ** 3), 3)}`;
export const isAttachmentId = (id: string) => /^f[0-9a-hjkmnp-tv-z]{10}$/u.test(id);

/**
 * A question code: `Q` + `digits` random digits (4 at first; the service widens after clashes).
 * Random, not sequential: a farmer guessing a neighbour's code finds nothing of theirs anyway
 * (follow-ups are checked against the asker's number), but the count of questions stays private.
 */
export const newQuestionCode = (digits = 4) => `Q${String(randomInt(10 ** digits)).padStart(digits, '0')}`;

/**
 * A code as a farmer may type it — `q1234`, `Q 1234`, `Q１２３４`, `Q༡༢༣༤` — made canonical;
 * undefined when it is not one. (Tibetan and full-width digits arrive folded by the normaliser;
 * they are folded here too for codes typed on a staff page.)
 */
export function normaliseQuestionCode(text: string): string | undefined {
  const folded = text
    .normalize('NFKC')
    .replace(/[\u0F20-\u0F29]/gu, (d) => String(d.charCodeAt(0) - 0x0f20))
    .replace(/\s+/gu, '');
  const m = /^[qQ](\d{3,8})$/u.exec(folded);
  return m ? `Q${m[1]}` : undefined;
}
