import type { Region } from '../../reference/schemas.ts';
import type { Matcher } from '../../text/matcher.ts';
import { joinTokens, matchKey, tokenise } from '../../text/normalise.ts';
import { smsName } from '../sms-names.ts';
import { argumentFailure } from './argument-replies.ts';
import { defineCommand, type ReadOutcome } from './command.ts';

export type JoinCommand = { intent: 'join'; regionId: string };

/**
 * Words for the kind of place that people add after a name the glossary lists without them
 * ("Metok County", "Shigatse City", 江孜市): tried off the end when the whole text names nothing.
 */
const placeWords = ['county', 'district', 'city', 'prefecture', 'town', '县', '区', '市', 'རྫོང', 'ཆུས', 'གྲོང་ཁྱེར'].map(
  (w) => tokenise(w).map(matchKey),
);

function withoutPlaceWord(tokens: readonly string[]): string[] | undefined {
  const keys = tokens.map(matchKey);
  for (const word of placeWords) {
    if (keys.length > word.length && word.every((k, i) => keys[keys.length - word.length + i] === k))
      return tokens.slice(0, -word.length);
  }
  return undefined;
}

/**
 * The region a name means for JOIN. A name shared by a county and the prefecture it lies in
 * (equally good matches) is the county: the home region is where the farmer lives, and the
 * narrower one says more (the prefecture is still its parent for prices and alerts); the reply
 * names what was set. Unrelated regions sharing a name stay ambiguous ("which one?").
 */
function regionsNamed(text: string, matcher: Matcher): string[] {
  const regions = [
    ...new Map(matcher.match(text, { kinds: ['region'] }).map((h) => [h.item.id, h.item as Region])).values(),
  ];
  if (regions.length < 2) return regions.map((r) => r.id);
  const byId = new Map(regions.map((r) => [r.id, r]));
  const inner = regions.filter((r) => !regions.some((o) => o.parentId === r.id));
  if (inner.length === 1) {
    const chain = new Set<string>();
    for (let r: Region | undefined = inner[0]; r && !chain.has(r.id); r = r.parentId ? byId.get(r.parentId) : undefined)
      chain.add(r.id);
    if (chain.size === regions.length) return [inner[0]!.id];
  }
  return regions.map((r) => r.id);
}

/** JOIN <region>: any listed region by any of its names; unknown → the closest names. */
export function readJoin(rest: string[], matcher: Matcher): ReadOutcome<JoinCommand> {
  if (rest.length === 0) return { ok: false, intent: 'join', problem: 'missing_argument' };
  const text = joinTokens(rest);
  let ids = regionsNamed(text, matcher);
  const shorter = ids.length === 0 ? withoutPlaceWord(rest) : undefined;
  if (shorter) ids = regionsNamed(joinTokens(shorter), matcher);
  if (ids.length === 1) return { ok: true, command: { intent: 'join', regionId: ids[0]! } };
  if (ids.length > 1) return { ok: false, intent: 'join', problem: 'ambiguous', text, suggestions: ids.slice(0, 3) };
  const suggestions = [
    ...new Set(
      matcher.suggest(shorter ? joinTokens(shorter) : text, { kinds: ['region'], limit: 3 }).map((s) => s.item.id),
    ),
  ];
  return { ok: false, intent: 'join', problem: 'unknown_argument', text, suggestions };
}

/** JOIN <county>: sets the home region; an unknown name gets the closest ones and saves nothing. */
export const join = defineCommand<JoinCommand>({
  intent: 'join',
  keywords: {
    en: ['join', 'register'],
    zh: ['注册', '登记', '报名'],
    bo: ['ཐོ་འགོད', 'ཐོ་འཇུག'],
    wylie: ["tho 'god", "tho 'jug"],
  },
  read: ({ rest, matcher }) => readJoin(rest, matcher),
  handler: {
    kind: 'change',
    apply(command, subscriber, { catalog, now }) {
      const region = catalog.regions.get(command.regionId)!;
      return {
        subscriber: { ...subscriber, homeRegionId: region.id, updatedAt: now.toISOString() },
        lines: [{ key: 'join.ok', params: { region: smsName(region.names, subscriber.language) } }],
      };
    },
  },
  failureReply: (failure, { lang, catalog }) => argumentFailure('join', failure, lang, catalog),
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['join.ok', 'join.missing', 'join.ambiguous', 'join.unknown', 'join.notFound'],
});
