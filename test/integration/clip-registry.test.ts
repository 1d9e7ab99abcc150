/**
 * The prompt studio's recordings against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT):
 * versions numbered in order (two uploads at once both kept), the previous unapproved one
 * replaced, approval of exactly the newest version (a stale one is a conflict), approving
 * again finishes what a crash left, the studio's list (newest and approved), and what plays
 * (per language, cached per process, dropped at once by the process's own approval).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoClipRegistry } from '#adapters/dynamodb/clip-registry.ts';
import { clipVersionKey } from '#adapters/dynamodb/keys.ts';
import { clipAudioKey } from '#adapters/s3/voice-audio.ts';
import type { VoiceLanguage } from '#core/voice/call.ts';
import type { ClipRecording } from '#core/voice/ports.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let clips: DynamoClipRegistry;
beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  clips = new DynamoClipRegistry(counted.db, stack.tableName);
});
afterAll(async () => {
  counted.db.destroy();
  await stack.close();
});

let serial = 0;
const clipId = (family = 'say') => `${family}.test${++serial}`;
const AT = new Date('2026-11-20T02:00:00.000Z');

const recording = (lang: VoiceLanguage, id: string, by = '+8613800000001', n = 0) => ({
  lang,
  id,
  key: clipAudioKey(lang, id, n),
  durationMs: 1200 + n,
  bytes: 19_200,
  recordedBy: by,
  recordedAt: AT.toISOString(),
});

describe('recordings', () => {
  test('each upload is a new version; the previous unapproved one is replaced', async () => {
    const id = clipId();
    const v1 = await clips.add(recording('bo', id, undefined, 1));
    expect(v1).toMatchObject({ version: 1, status: 'recorded', key: `voice/clips/bo/${id}/1.wav` });
    const v2 = await clips.add(recording('bo', id, undefined, 2));
    expect(v2).toMatchObject({ version: 2, status: 'recorded' });
    expect(await clips.get('bo', id)).toEqual(v2);
    const old = await counted.db.send(new GetCommand({ TableName: stack.tableName, Key: clipVersionKey('bo', id, 1) }));
    expect(old.Item?.status).toBe('replaced');
    expect(await clips.get('zh', id)).toBeUndefined();
  });

  test('two uploads of one clip at the same moment are both kept, numbered one after the other', async () => {
    const id = clipId();
    const made = await Promise.all([clips.add(recording('zh', id)), clips.add(recording('zh', id))]);
    expect(made.map((r) => r.version).sort()).toEqual([1, 2]);
    expect((await clips.get('zh', id))?.version).toBe(2);
  });
});

describe('approval', () => {
  test('approves exactly the newest version: a stale version is a conflict, an unknown clip not found', async () => {
    const id = clipId();
    await clips.add(recording('bo', id, undefined, 1));
    await clips.add(recording('bo', id, undefined, 2));
    await expect(clips.approve('bo', id, 1, '+8613800000002', AT)).rejects.toMatchObject({ code: 'conflict' });
    await expect(clips.approve('bo', id, 3, '+8613800000002', AT)).rejects.toMatchObject({ code: 'conflict' });
    await expect(clips.approve('bo', clipId(), 1, '+8613800000002', AT)).rejects.toMatchObject({
      code: 'not_found',
    });
    const approved = await clips.approve('bo', id, 2, '+8613800000002', AT);
    expect(approved).toMatchObject({
      version: 2,
      status: 'approved',
      approvedBy: '+8613800000002',
      approvedAt: AT.toISOString(),
    });
    // Approving it again (a double submit) answers the same and changes nothing.
    expect(await clips.approve('bo', id, 2, '+8613800000003', AT)).toEqual(approved);
  });

  test('a new recording after an approval: the approved one keeps playing until the new one is approved', async () => {
    const id = clipId();
    const registry = new DynamoClipRegistry(counted.db, stack.tableName);
    await clips.add(recording('zh', id, undefined, 1));
    await registry.approve('zh', id, 1, '+8613800000002', AT);
    expect((await registry.playable()).get('zh')?.get(id)).toEqual({
      key: clipAudioKey('zh', id, 1),
      durationMs: 1201,
    });

    await clips.add(recording('zh', id, undefined, 2));
    const listed = (await clips.list('zh')).filter((r) => r.id === id);
    expect(listed.map((r) => [r.version, r.status])).toEqual([
      [2, 'recorded'],
      [1, 'approved'],
    ]);
    expect((await registry.playable()).get('zh')?.get(id)?.key).toBe(clipAudioKey('zh', id, 1));
    await registry.approve('zh', id, 2, '+8613800000002', AT);
    expect((await registry.playable()).get('zh')?.get(id)).toEqual({
      key: clipAudioKey('zh', id, 2),
      durationMs: 1202,
    });
    expect((await clips.list('zh')).filter((r) => r.id === id).map((r) => [r.version, r.status])).toEqual([
      [2, 'approved'],
    ]);
  });

  test('a crash after the version was approved: approving again writes the head and the playable entry', async () => {
    const id = clipId();
    const v1 = await clips.add(recording('bo', id, undefined, 1));
    // What a crash right after the first write of approve leaves: the version approved, nothing else.
    const approved: ClipRecording = {
      ...v1,
      status: 'approved',
      approvedBy: '+8613800000002',
      approvedAt: AT.toISOString(),
    };
    await counted.db.send(
      new PutCommand({ TableName: stack.tableName, Item: { ...approved, ...clipVersionKey('bo', id, 1) } }),
    );
    const fresh = new DynamoClipRegistry(counted.db, stack.tableName);
    expect((await fresh.playable()).get('bo')?.has(id)).toBe(false);
    expect(await fresh.approve('bo', id, 1, '+8613800000004', AT)).toEqual(approved);
    expect((await fresh.playable()).get('bo')?.get(id)?.key).toBe(v1.key);
    expect((await clips.list('bo')).find((r) => r.id === id)).toEqual(approved);
  });
});

describe('what plays', () => {
  test('per language, one Query each, cached per process until its TTL', async () => {
    let now = 0;
    const cached = new DynamoClipRegistry(counted.db, stack.tableName, { playableTtlMs: 1000, now: () => now });
    const id = clipId('num');
    const before = counted.requests;
    const first = await cached.playable();
    expect(counted.requests - before).toBe(2);
    expect([...first.keys()].sort()).toEqual(['bo', 'zh']);
    // Another process approves: this one plays its copy until the TTL, then reads again.
    await clips.add(recording('bo', id, undefined, 1));
    await clips.approve('bo', id, 1, '+8613800000002', AT);
    now = 999;
    expect((await cached.playable()).get('bo')?.has(id)).toBe(false);
    now = 1000;
    expect((await cached.playable()).get('bo')?.has(id)).toBe(true);
  });
});
