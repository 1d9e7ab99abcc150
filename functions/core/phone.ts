import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from './phone-metadata.json' with { type: 'json' };

/**
 * libphonenumber's rules for the countries we serve only (see
 * functions/local/build-phone-metadata.ts): a number from elsewhere is not accepted.
 */
const phoneMetadata = metadata as unknown as MetadataJson;

/**
 * A phone number in E.164, or undefined when it is not a valid number of a served country.
 * Numbers without a country code are read as mainland Chinese, as our users write them.
 *
 * @example toE164('138 0000 0000') === '+8613800000000'
 */
export function toE164(input: string, defaultCountry: CountryCode = 'CN'): string | undefined {
  if (typeof input !== 'string' || input.length > 32) return undefined;
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry, phoneMetadata);
  if (!parsed?.isValid()) return undefined;
  return parsed.number;
}

/** The calling code of an E.164 number, e.g. '86'. */
export function callingCodeOf(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164, phoneMetadata)?.countryCallingCode;
}

/** For logs and staff screens: +86138****0000. */
export function maskPhone(e164: string): string {
  return e164.length > 8 ? `${e164.slice(0, 6)}****${e164.slice(-4)}` : '****';
}
