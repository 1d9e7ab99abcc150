/** Lambda entry run after each deploy (CDK trigger): writes the shipped reference data. */

import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { referenceSeed } from '#core/reference/seed.ts';

export const handler = async () => {
  const { reference } = createDeps(storageSettingsFrom(loadConfig()), composeHere);
  const result = await reference.seed(referenceSeed());
  console.log(JSON.stringify({ level: 'info', msg: 'reference data seeded', ...result }));
  return result;
};
