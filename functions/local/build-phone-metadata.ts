/**
 * Writes functions/core/phone-metadata.json: libphonenumber-js's own "min" metadata cut down
 * to the countries Zhingdrok serves, so the Lambda bundles carry ~15 KB instead of ~80 KB.
 * Run after upgrading libphonenumber-js (a unit test fails when the file is stale):
 *
 * @example npx tsx functions/local/build-phone-metadata.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Mainland China first; then places our farmers, traders and staff commonly have numbers from. */
export const servedCountries = ['CN', 'HK', 'MO', 'TW', 'NP', 'IN', 'BT', 'MN', 'PK', 'US', 'GB'];

interface Metadata {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown>;
  nonGeographic?: Record<string, unknown>;
}

export function reducedPhoneMetadata(full: Metadata, countries = servedCountries): Metadata {
  const keep = new Set(countries);
  const callingCodes = Object.fromEntries(
    Object.entries(full.country_calling_codes)
      .map(([code, list]) => [code, list.filter((c) => keep.has(c))] as const)
      .filter(([, list]) => list.length > 0),
  );
  return {
    version: full.version,
    country_calling_codes: callingCodes,
    countries: Object.fromEntries(Object.entries(full.countries).filter(([c]) => keep.has(c))),
    nonGeographic: {},
  };
}

export function loadFullMetadata(): Metadata {
  return createRequire(import.meta.url)('libphonenumber-js/metadata.min.json') as Metadata;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = new URL('../core/phone-metadata.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(reducedPhoneMetadata(loadFullMetadata()))}\n`);
  console.log(`wrote ${out.pathname}`);
}
