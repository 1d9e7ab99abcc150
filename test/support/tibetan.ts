/**
 * What the orthography checks (core/text/tibetan-orthography.ts) are told about our text in
 * tests: the keywords that help text quotes, and the characters outside the Tibetan block and
 * printable ASCII that a Tibetan string may hold, each with its reason.
 */
import { smsTerms } from '#core/reference/terms.ts';
import { keywords } from '#core/sms/commands/index.ts';

/**
 * Keywords quoted in help text — what to type, after which a space is right (`རོགས་རམ་ ཞེས་བཏང་།`,
 * `སྐད་ཡིག་ བོད་སྐད`): the Tibetan keywords of the SMS commands and the glossary's terms and options.
 */
export const QUOTED_KEYWORDS: string[] = [
  ...keywords.flatMap((k) => k.bo),
  ...smsTerms().flatMap((t) => [t.names.bo, ...t.aliases.bo]),
].filter(Boolean);

/**
 * Typographic quotes round what a sender wrote (all three languages use them; a Wylie reply
 * straightens them), the middle dot and the ellipsis of staff pages, and the arrows of a
 * digest's change (a Tibetan-script SMS is UCS-2 anyway).
 */
export const TIBETAN_TEXT_EXTRAS = /[“”·…↑↓→]/u;

/** Staff pages quote the Chinese words of bureau files (批发, 品名…): Han is expected there. */
export const STAFF_EXTRAS = /[“”·…]|\p{Script=Han}|[（）、，]/u;
