import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { decodeCursor, encodeCursor } from '#adapters/dynamodb/cursor.ts';
import {
  activeBroadcastKey,
  audienceCountKey,
  audienceKey,
  broadcastCountsKey,
  broadcastHistoryKey,
  broadcastKey,
  listingPairKey,
  listingSourceKey,
  marketsInRegionIndex,
  moderationIndex,
  openInCountyIndex,
  openInPrefectureIndex,
  processingClaimIndex,
  referenceKey,
  referencePartition,
  regionChildrenIndex,
  seedMarkerKey,
} from '#adapters/dynamodb/keys.ts';
import { keyAttributes, tableDefinition } from '#adapters/dynamodb/table-definition.ts';
import { AppError } from '#core/errors.ts';

describe('keys', () => {
  test('reference items share a partition per kind, sorted by id', () => {
    assert.deepEqual(referenceKey('commodity', 'butter'), { pk: 'REF#commodity', sk: 'butter' });
    assert.equal(referencePartition('market'), 'REF#market');
    assert.notEqual(referencePartition('region'), referencePartition('market'));
  });

  test('children and market indexes are distinct partitions of gsi1', () => {
    assert.deepEqual(regionChildrenIndex('pref_lhasa'), { gsi1pk: 'REGION#pref_lhasa#CHILDREN' });
    assert.deepEqual(marketsInRegionIndex('pref_lhasa'), { gsi1pk: 'REGION#pref_lhasa#MARKETS' });
  });

  test('processing inbound claims: one gsi1 partition, oldest first', () => {
    const early = processingClaimIndex(Date.UTC(2026, 4, 20, 1, 2, 3), 'eum', 'm-2');
    const late = processingClaimIndex(Date.UTC(2026, 4, 20, 11, 0, 0), 'dev', 'm-1');
    assert.deepEqual(early, { gsi1pk: 'INBOUND#PROCESSING', gsi1sk: '2026-05-20T01:02:03.000Z#eum#m-2' });
    assert.ok(early.gsi1sk! < late.gsi1sk!);
    assert.deepEqual(processingClaimIndex(), { gsi1pk: 'INBOUND#PROCESSING' });
  });

  test('the seed marker cannot collide with a reference item', () => {
    assert.notEqual(seedMarkerKey('reference').pk.startsWith('REF#'), true);
  });

  test('every key attribute of the table definition is declared once', () => {
    assert.deepEqual(keyAttributes, [
      'pk',
      'sk',
      'gsi1pk',
      'gsi1sk',
      'gsi2pk',
      'gsi2sk',
      'gsi3pk',
      'gsi3sk',
      'gsi4pk',
      'gsi4sk',
      'gsi5pk',
      'gsi5sk',
    ]);
    assert.equal(tableDefinition.ttlAttribute, 'expiresAt');
  });
});

describe('cursor', () => {
  test('round-trips a key and is URL-safe', () => {
    const key = { pk: 'REF#commodity', sk: 'butter' };
    const c = encodeCursor(key)!;
    assert.match(c, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(c, { pk: 'REF#commodity' }), key);
  });

  test('no key, no cursor', () => {
    assert.equal(encodeCursor(undefined), undefined);
    assert.equal(decodeCursor(undefined, { pk: 'x' }), undefined);
  });

  for (const [name, cursor] of [
    ['another partition', encodeCursor({ pk: 'REF#region', sk: 'x' })!],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['an array', Buffer.from('[1]').toString('base64url')],
    ['non-string values', Buffer.from('{"pk":"REF#commodity","sk":1}').toString('base64url')],
    ['too long', 'a'.repeat(2000)],
  ] as const) {
    test(`rejects ${name}`, () => {
      assert.throws(
        () => decodeCursor(cursor, { pk: 'REF#commodity' }),
        (e: unknown) => e instanceof AppError && e.code === 'invalid_cursor',
      );
    });
  }
});

describe('exchange keys', () => {
  test('a pair is one key whichever offer is named first', () => {
    assert.deepEqual(listingPairKey('L4821', 'L1234'), listingPairKey('L1234', 'L4821'));
    assert.equal(listingPairKey('L4821', 'L1234').pk, 'LSTPAIR#L1234#L4821');
  });

  test('ids from outside cannot forge a separator: a county cannot pose as a commodity-county pair', () => {
    assert.notEqual(
      openInCountyIndex('sell', 'yak#cty_a', 'cty_b').gsi1pk,
      openInCountyIndex('sell', 'yak', 'cty_a#cty_b').gsi1pk,
    );
    assert.equal(listingSourceKey('eum:m#1').pk, 'LSTSRC#eum%3Am%231');
  });

  test('open offers and the moderation queue never share a partition; levels sit on their own indexes', () => {
    const open = openInPrefectureIndex('sell', 'yak', 'pref_lhasa', '2026-12-01T00:00:00.000Z', 'L4821');
    assert.deepEqual(open, { gsi5pk: 'LSTOPEN#sell#yak#pref_lhasa', gsi5sk: '2026-12-01T00:00:00.000Z#L4821' });
    assert.deepEqual(moderationIndex('gsi5', 'pref_lhasa'), { gsi5pk: 'LSTMOD#pref_lhasa' });
    assert.deepEqual(moderationIndex('gsi3', '*'), { gsi3pk: 'LSTMOD#*' });
  });
});

describe('broadcast keys', () => {
  test('a broadcast and its counters share a partition; history lines sort by creation time', () => {
    assert.deepEqual(broadcastKey('b01jf3k9q2m'), { pk: 'bcast#b01jf3k9q2m', sk: 'bcast' });
    assert.deepEqual(broadcastCountsKey('b01jf3k9q2m'), { pk: 'bcast#b01jf3k9q2m', sk: 'counts' });
    const early = broadcastHistoryKey('pref_lhasa', '2026-11-20T02:00:00.000Z', 'b2');
    const late = broadcastHistoryKey('pref_lhasa', '2026-11-21T01:00:00.000Z', 'b1');
    assert.deepEqual(early, { pk: 'bcastlist#pref_lhasa', sk: '2026-11-20T02:00:00.000Z#b2' });
    assert.ok(early.sk < late.sk);
    assert.equal(broadcastHistoryKey('*', '2026-11-20T02:00:00.000Z', 'b2').pk, 'bcastlist#*');
    assert.deepEqual(activeBroadcastKey('b2'), { pk: 'bcastactive', sk: 'b2' });
  });

  test('the audience index is a partition per region and topic; its counters one per region', () => {
    assert.deepEqual(audienceKey('cty_lhasa_chengguan', 'price:butter', '+8613912345678'), {
      pk: 'aud#cty_lhasa_chengguan#price:butter',
      sk: '+8613912345678',
    });
    assert.deepEqual(audienceCountKey('pref_lhasa', 'all', 'bo', 'wylie'), {
      pk: 'audcount#pref_lhasa',
      sk: 'all#bo#wylie',
    });
    // A county's partitions never meet its prefecture's.
    assert.notEqual(audienceKey('pref_lhasa', 'all', '+1').pk, audienceKey('cty_lhasa_chengguan', 'all', '+1').pk);
  });
});
