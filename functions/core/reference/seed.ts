import seed from './seed-data.json' with { type: 'json' };
import terms from './sms-terms.json' with { type: 'json' };
import { referenceDataSchema, termSchema, type ReferenceData, type Term } from './schemas.ts';

/**
 * The reference data shipped with the code (generated from the project glossary by
 * functions/local/import-glossary.ts), validated on first use. Only the seeding Lambda and
 * tests need all of it; the SMS parser needs only the terms (smsTerms), a much smaller file.
 */
let cached: ReferenceData | undefined;
export function referenceSeed(): ReferenceData {
  cached ??= referenceDataSchema.parse({ ...seed, terms });
  return cached;
}

let cachedTerms: Term[] | undefined;
/** SMS keywords and option words (kw_*, lang_*), from the glossary. */
export function smsTerms(): Term[] {
  cachedTerms ??= terms.map((t) => termSchema.parse(t));
  return cachedTerms;
}
