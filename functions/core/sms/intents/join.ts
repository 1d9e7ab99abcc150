import type { Matcher } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import type { ArgumentOutcome } from './index.ts';

/** JOIN <region>: any listed region by any of its names; unknown → the closest names. */
export function readJoin(rest: string[], matcher: Matcher): ArgumentOutcome {
  if (rest.length === 0) return { ok: false, intent: 'join', problem: 'missing_argument' };
  const text = joinTokens(rest);
  const ids = [...new Set(matcher.match(text, { kinds: ['region'] }).map((h) => h.item.id))];
  if (ids.length === 1) return { ok: true, command: { intent: 'join', regionId: ids[0]! } };
  if (ids.length > 1) return { ok: false, intent: 'join', problem: 'ambiguous', text, suggestions: ids.slice(0, 3) };
  const suggestions = [...new Set(matcher.suggest(text, { kinds: ['region'], limit: 3 }).map((s) => s.item.id))];
  return { ok: false, intent: 'join', problem: 'unknown_argument', text, suggestions };
}
