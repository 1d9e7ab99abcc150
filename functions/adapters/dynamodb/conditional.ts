import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** True when a conditional write lost (the condition was false); rethrows anything else. */
export function lostCondition(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if ((err as { name?: string })?.name === 'ConditionalCheckFailedException') return true;
  throw err;
}

/** Epoch seconds for the TTL attribute. */
export const ttlIn = (now: Date, seconds: number) => Math.floor(now.getTime() / 1000) + seconds;
