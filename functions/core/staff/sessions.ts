import { createHash, randomBytes } from 'node:crypto';

/**
 * `web`: the browser's session cookie, short because staff share computers at village
 * information points. `api`: a bearer token for API clients (scripts, the field app).
 */
export type SessionKind = 'web' | 'api';

export const sessionSeconds: Record<SessionKind, number> = {
  web: 12 * 3600,
  api: 30 * 24 * 3600,
};

export interface Session {
  /** SHA-256 of the secret token: the only form in which a token is stored. */
  tokenHash: string;
  phone: string;
  kind: SessionKind;
  createdAt: string;
  /** Epoch seconds; also the TTL attribute (DynamoDB deletes lazily, so readers check it). */
  expiresAt: number;
}

/** 256 random bits, URL-safe. Never stored; only its hash is. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** Tokens are long and random, so a fast unsalted hash is enough to make a stolen table useless. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** What a presented token may look like before any lookup is spent on it. */
export const plausibleToken = (token: string | undefined): token is string =>
  !!token && /^[A-Za-z0-9_-]{32,100}$/.test(token);

export function newSession(phone: string, kind: SessionKind, now: Date): { token: string; session: Session } {
  const token = newToken();
  return {
    token,
    session: {
      tokenHash: tokenHash(token),
      phone,
      kind,
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + sessionSeconds[kind],
    },
  };
}
