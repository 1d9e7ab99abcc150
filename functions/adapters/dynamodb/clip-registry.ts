/**
 * The prompt studio's recordings in the single table (keys.ts, "Voice line"). Each version is
 * an item of its own, written once (absent), whose status then only moves forward (recorded →
 * approved | replaced); the clip's head (newest and approved versions) and the playable entry
 * are copies written after it, each conditional on the version it carries only moving up, so
 * a rerun of `add` or `approve` finishes what a crash left and two writers never move a copy back.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import { type ClipId, type VoiceLanguage, voiceLanguages } from '#core/voice/call.ts';
import type { ClipRecording, ClipRegistry } from '#core/voice/ports.ts';
import { lostCondition } from './conditional.ts';
import {
  clipHeadKey,
  clipHeadPartition,
  clipVersionKey,
  clipVersionPartition,
  playableClipKey,
  playableClipPartition,
} from './keys.ts';
import { queryAll } from './paged-query.ts';

/** Tries of `add` when another recording of the same clip takes the version number first. */
const ADD_TRIES = 5;
/** How long a process plays from its copy of the playable clips (its own approvals drop it at once). */
export const PLAYABLE_TTL_MS = 30_000;

type Playable = Map<VoiceLanguage, Map<ClipId, { key: string; durationMs: number }>>;

const recordingOf = (item: Record<string, unknown>): ClipRecording => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as ClipRecording;
};

export class DynamoClipRegistry implements ClipRegistry {
  private cache: { at: number; value: Promise<Playable> } | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { playableTtlMs?: number; now?: () => number } = {},
  ) {}

  async list(lang: VoiceLanguage): Promise<ClipRecording[]> {
    const heads = await queryAll(this.db, this.tableName, { partition: { pk: clipHeadPartition(lang) } }, (i) => i);
    const out: ClipRecording[] = [];
    for (const head of heads) {
      const latest = head.latest as ClipRecording | undefined;
      const approved = head.approved as ClipRecording | undefined;
      if (latest) out.push(approved?.version === latest.version ? approved : latest);
      if (approved && approved.version !== latest?.version) out.push(approved);
    }
    return out;
  }

  async get(lang: VoiceLanguage, id: ClipId): Promise<ClipRecording | undefined> {
    // The newest version item, not the head: the head may be one write behind after a crash.
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :k',
        ExpressionAttributeValues: { ':k': clipVersionPartition(lang, id) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = res.Items?.[0];
    return item ? recordingOf(item) : undefined;
  }

  async add(input: Omit<ClipRecording, 'version' | 'status'>): Promise<ClipRecording> {
    for (let attempt = 0; attempt < ADD_TRIES; attempt++) {
      const previous = await this.get(input.lang, input.id);
      const recording: ClipRecording = { ...input, version: (previous?.version ?? 0) + 1, status: 'recorded' };
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...recording, ...clipVersionKey(recording.lang, recording.id, recording.version) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (err) {
        lostCondition(err);
        continue; // another recording took this version: number this one after it
      }
      if (previous?.status === 'recorded') await this.replace(previous);
      await this.moveHead(recording, 'latest');
      return recording;
    }
    throw new AppError('conflict', { id: input.id });
  }

  async approve(lang: VoiceLanguage, id: ClipId, version: number, by: string, at: Date): Promise<ClipRecording> {
    const newest = await this.get(lang, id);
    if (!newest) throw new AppError('not_found', { kind: 'clip', id });
    // Only the newest recording may be approved: a stale page approving an older one is refused.
    if (newest.version !== version) throw new AppError('conflict', { id, version: newest.version });
    let approved: ClipRecording;
    if (newest.status === 'approved')
      approved = newest; // approved before: finish its copies below
    else {
      try {
        const res = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: clipVersionKey(lang, id, version),
            UpdateExpression: 'SET #s = :approved, approvedBy = :by, approvedAt = :at',
            ConditionExpression: '#s = :recorded',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':approved': 'approved',
              ':recorded': 'recorded',
              ':by': by,
              ':at': at.toISOString(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        approved = recordingOf(res.Attributes ?? {});
      } catch (err) {
        lostCondition(err);
        // Replaced by a newer recording since it was read, or approved by someone else just now.
        const now = await this.version(lang, id, version);
        if (now?.status !== 'approved') throw new AppError('conflict', { id, version });
        approved = now;
      }
    }
    await this.moveHead(approved, 'approved');
    await this.moveHead(approved, 'latest');
    await this.putPlayable(approved);
    this.cache = undefined;
    return approved;
  }

  async playable(): Promise<Playable> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.playableTtlMs ?? PLAYABLE_TTL_MS;
    if (!this.cache || now - this.cache.at >= ttl) {
      const value = this.readPlayable();
      this.cache = { at: now, value };
      // A failed read is not kept: the next turn asks again.
      value.catch(() => {
        if (this.cache?.value === value) this.cache = undefined;
      });
    }
    return this.cache.value;
  }

  private async readPlayable(): Promise<Playable> {
    const map: Playable = new Map();
    for (const lang of voiceLanguages) {
      const entries = await queryAll(
        this.db,
        this.tableName,
        { partition: { pk: playableClipPartition(lang) } },
        (i) => [String(i.sk), { key: String(i.key), durationMs: Number(i.durationMs) }] as const,
      );
      map.set(lang, new Map(entries));
    }
    return map;
  }

  private async version(lang: VoiceLanguage, id: ClipId, version: number) {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: clipVersionKey(lang, id, version), ConsistentRead: true }),
    );
    return res.Item ? recordingOf(res.Item) : undefined;
  }

  /** The previous unapproved recording gives way (unless someone approved it in the meantime). */
  private async replace(previous: ClipRecording) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: clipVersionKey(previous.lang, previous.id, previous.version),
          UpdateExpression: 'SET #s = :replaced',
          ConditionExpression: '#s = :recorded',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':replaced': 'replaced', ':recorded': 'recorded' },
        }),
      );
    } catch (err) {
      lostCondition(err);
    }
  }

  /** Sets the head's `latest` or `approved` to `rec` unless it already holds that version or a newer one. */
  private async moveHead(rec: ClipRecording, slot: 'latest' | 'approved') {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: clipHeadKey(rec.lang, rec.id),
          UpdateExpression: 'SET #slot = :rec',
          ConditionExpression: 'attribute_not_exists(#slot) OR #slot.version <= :v',
          ExpressionAttributeNames: { '#slot': slot },
          ExpressionAttributeValues: { ':rec': rec, ':v': rec.version },
        }),
      );
    } catch (err) {
      lostCondition(err); // a newer version is there already
    }
  }

  private async putPlayable(rec: ClipRecording) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...playableClipKey(rec.lang, rec.id),
            key: rec.key,
            durationMs: rec.durationMs,
            version: rec.version,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR version <= :v',
          ExpressionAttributeValues: { ':v': rec.version },
        }),
      );
    } catch (err) {
      lostCondition(err); // a newer approval plays already
    }
  }
}
