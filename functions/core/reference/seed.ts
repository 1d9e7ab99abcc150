import seed from './seed-data.json' with { type: 'json' };
import { referenceDataSchema, type ReferenceData } from './schemas.ts';

/**
 * The reference data shipped with the code (generated from the project glossary by
 * functions/local/import-glossary.ts), validated on first use.
 */
let cached: ReferenceData | undefined;
export function referenceSeed(): ReferenceData {
  cached ??= referenceDataSchema.parse(seed);
  return cached;
}
