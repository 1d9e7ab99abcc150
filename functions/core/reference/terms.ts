import { type Term, termSchema } from './schemas.ts';
import terms from './sms-terms.json' with { type: 'json' };

let cached: Term[] | undefined;

/**
 * SMS keywords and option words (kw_*, lang_*), from the glossary. A module of its own so
 * that Lambdas which parse SMS do not bundle the whole seed.
 */
export function smsTerms(): Term[] {
  cached ??= terms.map((t) => termSchema.parse(t));
  return cached;
}
