/**
 * The voice line's stores, built from the table and (where the function has it) the files
 * bucket. The voice Lambda's slim wiring and createDeps both call this: it imports only the
 * stores themselves, so the voice bundle carries nothing else of the app.
 *
 * @example const voice = voiceStores(db, tableName, new S3VoiceAudio(s3Parts, bucket, filesBaseUrl))
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AskCounters, CallerStore, CallStore, ClipRegistry, VoiceAudio } from '#core/voice/ports.ts';
import { DynamoClipRegistry } from './dynamodb/clip-registry.ts';
import { DynamoAskCounters, DynamoCallerStore, DynamoCallStore } from './dynamodb/voice-store.ts';

export interface VoiceStores {
  calls: CallStore;
  callers: CallerStore;
  counters: AskCounters;
  clips: ClipRegistry;
  /** Unset on a function without the files bucket. */
  audio?: VoiceAudio;
}

export function voiceStores(
  db: DynamoDBDocumentClient,
  tableName: string,
  /** The files bucket's audio (S3VoiceAudio), where the function has it. */
  audio?: VoiceAudio,
): VoiceStores {
  return {
    calls: new DynamoCallStore(db, tableName),
    callers: new DynamoCallerStore(db, tableName),
    counters: new DynamoAskCounters(db, tableName),
    clips: new DynamoClipRegistry(db, tableName),
    ...(audio ? { audio } : {}),
  };
}

/**
 * DELETE ME for the voice line: the number's calls keep their path and outcome and lose the
 * number, and what the line remembered of it (language, calls today) goes. Returns the calls erased.
 */
export const voiceErasure = (stores: Pick<VoiceStores, 'calls' | 'callers'>) => ({
  async eraseNumber(phone: string): Promise<number> {
    const erased = await stores.calls.eraseNumber(phone);
    await stores.callers.erase(phone);
    return erased;
  },
});
