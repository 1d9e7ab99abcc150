/**
 * Which `sms` message keys can go out as (a line of) an SMS, derived from the locales, not kept
 * by hand. The rule: every leaf of the `sms` namespace is sendable — a variant (`price.row_old`,
 * picked by a `context` parameter) is its own text, so its own key — except the fragments below,
 * which are only ever text inside another line's parameters (a topic's name in `sub.ok`, the
 * list separator, the `(old)` mark nested in `price.row_old`, the opt-out footer the composer
 * appends). A new key is sendable by default, so `npm run templates` asks for its template; a
 * test scans the sources for the keys they send and holds them to this list.
 */
import { smsResources } from '#locales/sms.ts';

export const SMS_FRAGMENT_KEYS: readonly string[] = [
  'footer.optOut',
  'list.separator',
  'price.old',
  'topic.weather',
  'topic.pest',
  'topic.disease',
  'topic.market',
  'topic.price',
];

type Tree = { [key: string]: string | Tree };

const leaves = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));

/** Every sendable `sms` key (without the `sms:` prefix), in the English file's order. */
export const SENDABLE_SMS_KEYS: readonly string[] = leaves(smsResources.en as Tree).filter(
  (key) => !SMS_FRAGMENT_KEYS.includes(key),
);
