/**
 * What the core needs from the platform itself, whatever the capability: the store's health and
 * a place for files. Adapters implement these; functions/adapters/wiring.ts chooses which.
 */

export interface HealthProbe {
  /** Resolves when the store answers; rejects otherwise. */
  check(): Promise<void>;
}

export interface StoredFile {
  body: Uint8Array;
  contentType: string;
}

/** Attachments, exports and other files (S3 in AWS, s3rver locally). */
export interface FileStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  get(key: string): Promise<StoredFile | undefined>;
  delete(key: string): Promise<void>;
}
