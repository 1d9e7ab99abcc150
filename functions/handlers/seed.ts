/**
 * Lambda entry run after each deploy (CDK Trigger): writes the shipped reference data. The
 * trigger's own provider answers CloudFormation and invokes this function with an empty
 * payload, so the event carries nothing to read.
 */

import type { Context } from 'aws-lambda';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { lambdaCapabilities } from './capabilities.ts';

export const handler = async (_event?: unknown, context?: Context) => {
  beginInvocation(context);
  const { reference, log } = createDeps(
    storageSettingsFrom(loadConfig(process.env, lambdaCapabilities.seed)),
    composeHere,
  );
  const result = await reference.seed(referenceSeed());
  log({ level: 'info', msg: 'reference data seeded', ...result });
  return result;
};
