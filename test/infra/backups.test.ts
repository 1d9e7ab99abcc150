/**
 * Backups that can be restored, in the template: the table keeps 35 days of point-in-time
 * recovery (what `npm run restore` restores from), cannot be deleted by a stack update or by
 * hand, and is kept if the stack goes; both buckets keep old versions of what is overwritten or
 * deleted, for a bounded time, and are kept too. The restore itself: test/integration/restore-table.test.ts.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { IMPORT_PLAN_PREFIX } from '#adapters/dynamodb/price-import.ts';
import { SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
beforeAll(() => {
  synth = SynthesizedStack.create({}, { bundle: false });
});
afterAll(() => synth?.dispose());

const resourceOf = (construct: Parameters<SynthesizedStack['logicalId']>[0]) =>
  synth.resources[synth.logicalId(construct)]!;

describe('the table: point-in-time recovery, deletion protection, kept', () => {
  test('PITR on, deletion protection on, RETAIN on delete and on replacement', () => {
    const table = resourceOf(synth.stack.table);
    assert.equal(table.Type, 'AWS::DynamoDB::GlobalTable');
    const replica = table.Properties.Replicas[0];
    assert.equal(replica.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled, true);
    assert.equal(replica.DeletionProtectionEnabled, true);
    assert.equal(table.DeletionPolicy, 'Retain');
    assert.equal(table.UpdateReplacePolicy, 'Retain');
    // The restore script asks for the same billing and encryption (functions/local/restore-table.ts).
    assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(table.Properties.SSESpecification.SSEEnabled, true);
    assert.equal(table.Properties.SSESpecification.SSEType, 'KMS');
    assert.equal(table.Properties.TimeToLiveSpecification.AttributeName, 'expiresAt');
  });
});

describe('the buckets: versioned, old versions expire, kept', () => {
  const rulesOf = (bucket: Parameters<SynthesizedStack['logicalId']>[0]) =>
    Object.fromEntries(
      (resourceOf(bucket).Properties.LifecycleConfiguration.Rules as { Id: string }[]).map((r) => [r.Id, r]),
    ) as Record<string, Record<string, any>>;

  test('both buckets are versioned and RETAINed', () => {
    for (const bucket of [synth.stack.filesBucket, synth.stack.staticBucket]) {
      const r = resourceOf(bucket);
      assert.equal(r.Properties.VersioningConfiguration.Status, 'Enabled');
      assert.equal(r.DeletionPolicy, 'Retain');
      assert.equal(r.UpdateReplacePolicy, 'Retain');
    }
  });

  test('every bucket: old versions kept 90 days, unfinished multipart uploads aborted, bare delete markers cleared', () => {
    for (const bucket of [synth.stack.filesBucket, synth.stack.staticBucket]) {
      const rule = rulesOf(bucket)['expire-old-versions'];
      assert.ok(rule, 'expire-old-versions');
      assert.equal(rule.Status, 'Enabled');
      assert.equal(rule.NoncurrentVersionExpiration.NoncurrentDays, 90);
      assert.equal(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation, 7);
      assert.equal(rule.ExpiredObjectDeleteMarker, true);
      assert.equal(rule.Prefix, undefined, 'the whole bucket');
    }
  });

  test('the files bucket: staged CSV uploads, leftover import plans and unfinished attachment uploads expire, with their old versions', () => {
    const rules = rulesOf(synth.stack.filesBucket);
    const expected: Record<string, { prefix: string; days: number }> = {
      'expire-unconfirmed-uploads': { prefix: 'staged/', days: 1 },
      'expire-leftover-import-plans': { prefix: IMPORT_PLAN_PREFIX, days: 30 },
      'expire-unfinished-attachment-uploads': { prefix: 'uploads/', days: 1 },
    };
    for (const [id, { prefix, days }] of Object.entries(expected)) {
      const rule = rules[id];
      assert.ok(rule, id);
      assert.equal(rule.Status, 'Enabled', id);
      assert.equal(rule.Prefix, prefix, id);
      assert.equal(rule.ExpirationInDays, days, id);
      assert.equal(rule.NoncurrentVersionExpiration.NoncurrentDays, 1, id);
    }
    // Nothing else expires current objects: attachments, voice audio and kept files stay.
    const expiring = Object.values(rules).filter((r) => r.ExpirationInDays !== undefined);
    assert.deepEqual(
      expiring.map((r) => r.Prefix).sort(),
      Object.values(expected)
        .map((e) => e.prefix)
        .sort(),
    );
  });
});
