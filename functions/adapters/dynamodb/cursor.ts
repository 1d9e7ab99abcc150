import { AppError } from '#core/errors.ts';

type StartKey = Record<string, string>;

/** Encodes DynamoDB's LastEvaluatedKey as an opaque URL-safe token. */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and checks it belongs to the query it is used with (same partition),
 * so a client cannot steer a query into another partition by forging a token.
 */
export function decodeCursor(cursor: string | undefined, expect: Record<string, string>): StartKey | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) throw new Error('charset');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new AppError('invalid_cursor');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AppError('invalid_cursor');
  const entries = Object.entries(parsed);
  if (entries.length > 6 || !entries.every(([, v]) => typeof v === 'string')) throw new AppError('invalid_cursor');
  const key = parsed as StartKey;
  for (const [name, value] of Object.entries(expect)) {
    if (key[name] !== value) throw new AppError('invalid_cursor');
  }
  return key;
}
