import { type ReferenceData, referenceDataSchema } from './schemas.ts';
import seed from './seed-data.json' with { type: 'json' };
import { smsTerms } from './terms.ts';

let cached: ReferenceData | undefined;

/**
 * The reference data shipped with the code (generated from the project glossary by
 * functions/local/import-glossary.ts), validated on first use. Only the seeding Lambda and
 * tests need all of it.
 */
export function referenceSeed(): ReferenceData {
  cached ??= referenceDataSchema.parse({ ...seed, terms: smsTerms() });
  return cached;
}
