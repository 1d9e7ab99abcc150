import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { storageSettingsFrom } from '#adapters/wiring.ts';
import { ConfigError, loadConfig, loadPublicFilesConfig, settingsOf } from '#config';
import { lambdaCapabilities } from '#handlers/capabilities.ts';

describe('config', () => {
  test('local defaults', () => {
    const c = loadConfig({});
    assert.equal(c.APP_MODE, 'local');
    assert.equal(c.APP_MODE === 'local' && c.PORT, 3000);
    assert.equal(c.APP_MODE === 'local' && c.DATA_DIR, '.data');
    assert.deepEqual(c.ADMIN_PHONES, []);
  });

  test('inside Lambda the mode is aws and table/bucket are required, named in the error', () => {
    assert.throws(
      () => loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_REGION: 'cn-north-1' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /TABLE_NAME/.test(e.message) &&
        /BUCKET_NAME/.test(e.message) &&
        !/AWS_REGION/.test(e.message),
    );
    const ok = loadConfig({
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
      AWS_REGION: 'ap-east-1',
      TABLE_NAME: 'tbl',
      BUCKET_NAME: 'bkt',
      AUTH_SECRET: 'x'.repeat(32),
    });
    assert.equal(ok.APP_MODE, 'aws');
    // ORIGIN_SECRET: optional in config (only the functions behind the API need it; the app refuses to start without it), but never a short one.
    const aws = {
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
      AWS_REGION: 'ap-east-1',
      TABLE_NAME: 'tbl',
      BUCKET_NAME: 'bkt',
      AUTH_SECRET: 'x'.repeat(32),
    };
    assert.throws(() => loadConfig({ ...aws, ORIGIN_SECRET: 'short' }), /ORIGIN_SECRET/);
    const behind = loadConfig({ ...aws, ORIGIN_SECRET: 'o'.repeat(40) });
    assert.equal(behind.APP_MODE === 'aws' && behind.ORIGIN_SECRET, 'o'.repeat(40));
  });

  test('an invalid value names the variable and the value', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc' }),
      (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message) && /"abc"/.test(e.message),
    );
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT/);
    assert.throws(() => loadConfig({ APP_MODE: 'cloud' }), /APP_MODE/);
    assert.throws(() => loadConfig({ DYNAMODB_ENDPOINT: 'not a url' }), /DYNAMODB_ENDPOINT/);
  });

  test('SMS_DAILY_HARD_LIMIT: five times the daily limit unless set; never below it, with a message naming both', () => {
    assert.equal(loadConfig({}).SMS_DAILY_HARD_LIMIT, 100_000);
    assert.equal(loadConfig({ SMS_DAILY_SEGMENT_LIMIT: '3000' }).SMS_DAILY_HARD_LIMIT, 15_000);
    assert.equal(loadConfig({ SMS_DAILY_HARD_LIMIT: '50000' }).SMS_DAILY_HARD_LIMIT, 50_000);
    assert.equal(
      loadConfig({ SMS_DAILY_HARD_LIMIT: '20000' }).SMS_DAILY_HARD_LIMIT,
      20_000,
      'equal to the daily limit is allowed',
    );
    assert.equal(loadConfig({ SMS_DAILY_HARD_LIMIT: '' }).SMS_DAILY_HARD_LIMIT, 100_000, 'empty is unset');
    assert.throws(
      () => loadConfig({ SMS_DAILY_HARD_LIMIT: '19999' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /SMS_DAILY_HARD_LIMIT: must be at least SMS_DAILY_SEGMENT_LIMIT \(20000\)/.test(e.message) &&
        /"19999"/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ SMS_DAILY_SEGMENT_LIMIT: '500', SMS_DAILY_HARD_LIMIT: '499' }),
      /SMS_DAILY_HARD_LIMIT.*\(500\)/,
    );
    assert.throws(
      () => loadConfig({ SMS_DAILY_HARD_LIMIT: 'lots' }),
      (e: unknown) => e instanceof ConfigError && /SMS_DAILY_HARD_LIMIT/.test(e.message) && /"lots"/.test(e.message),
    );
    assert.throws(() => loadConfig({ SMS_DAILY_HARD_LIMIT: '0' }), /SMS_DAILY_HARD_LIMIT/);
  });

  test("ASK_*: the escalation ladder, the promised answer time and the daily limit; defaults are the issue's", () => {
    const c = loadConfig({});
    assert.deepEqual(
      [c.ASK_ESCALATE_PREFECTURE_HOURS, c.ASK_ESCALATE_ALL_HOURS, c.ASK_ANSWER_WITHIN_HOURS, c.ASK_DAILY_LIMIT],
      [24, 48, 72, 5],
    );
    const set = loadConfig({
      ASK_ESCALATE_PREFECTURE_HOURS: '12',
      ASK_ESCALATE_ALL_HOURS: '36',
      ASK_ANSWER_WITHIN_HOURS: '48',
      ASK_DAILY_LIMIT: '3',
    });
    assert.deepEqual(
      [set.ASK_ESCALATE_PREFECTURE_HOURS, set.ASK_ESCALATE_ALL_HOURS, set.ASK_ANSWER_WITHIN_HOURS, set.ASK_DAILY_LIMIT],
      [12, 36, 48, 3],
    );
    assert.throws(() => loadConfig({ ASK_DAILY_LIMIT: '0' }), /ASK_DAILY_LIMIT.*"0"/s);
    assert.throws(() => loadConfig({ ASK_ANSWER_WITHIN_HOURS: 'soon' }), /ASK_ANSWER_WITHIN_HOURS.*"soon"/s);
    // Every expert after the prefecture's, never before: named with both values.
    assert.throws(
      () => loadConfig({ ASK_ESCALATE_PREFECTURE_HOURS: '48', ASK_ESCALATE_ALL_HOURS: '24' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /ASK_ESCALATE_ALL_HOURS: must be more than ASK_ESCALATE_PREFECTURE_HOURS \(48\)/.test(e.message) &&
        /"24"/.test(e.message),
    );
  });

  test('ASK_* and FILES_BASE_URL reach the wiring: the knowledge settings and the attachments base URL', () => {
    const settings = storageSettingsFrom(
      loadConfig({
        ASK_ESCALATE_PREFECTURE_HOURS: '6',
        ASK_ESCALATE_ALL_HOURS: '12',
        ASK_ANSWER_WITHIN_HOURS: '24',
        ASK_DAILY_LIMIT: '2',
        FILES_BASE_URL: 'https://d1.cloudfront.net/files',
      }),
    );
    assert.deepEqual(settings.knowledge, {
      escalateToPrefectureHours: 6,
      escalateToAllHours: 12,
      answerWithinHours: 24,
      askDailyLimit: 2,
    });
    assert.equal(settings.filesBaseUrl, 'https://d1.cloudfront.net/files');
    assert.equal(storageSettingsFrom(loadConfig({})).filesBaseUrl, undefined, "unset: the app's own /files");
  });

  test('FILES_BASE_URL: optional locally (the app serves /files/), a URL when set', () => {
    assert.equal(loadConfig({}).FILES_BASE_URL, undefined);
    assert.equal(loadConfig({ FILES_BASE_URL: '' }).FILES_BASE_URL, undefined);
    assert.equal(
      loadConfig({ FILES_BASE_URL: 'https://d1.cloudfront.net/files' }).FILES_BASE_URL,
      'https://d1.cloudfront.net/files',
    );
    assert.throws(() => loadConfig({ FILES_BASE_URL: 'files' }), /FILES_BASE_URL.*"files"/s);
  });

  test('ADMIN_PHONES: comma-separated E.164, each checked', () => {
    assert.deepEqual(loadConfig({ ADMIN_PHONES: '+8613800000000, +8613900000001' }).ADMIN_PHONES, [
      '+8613800000000',
      '+8613900000001',
    ]);
    assert.throws(() => loadConfig({ ADMIN_PHONES: '+8613800000000,13900000001' }), /ADMIN_PHONES/);
  });
});

describe('config per capability (a Lambda reads only its own settings)', () => {
  const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_REGION: 'ap-east-1', TABLE_NAME: 'tbl' };

  test('a Lambda without capabilities needs the table alone, and reads no bucket or secret it is given', () => {
    const seed = loadConfig({ ...lambda, BUCKET_NAME: 'bkt', AUTH_SECRET: 'x'.repeat(32) }, lambdaCapabilities.seed);
    assert.equal(seed.APP_MODE, 'aws');
    assert.equal(seed.TABLE_NAME, 'tbl');
    assert.equal(seed.BUCKET_NAME, undefined);
    assert.equal(seed.AUTH_SECRET, undefined);
    assert.throws(() => loadConfig({ ...lambda, TABLE_NAME: '' }, []), /TABLE_NAME/);
  });

  test("each capability's settings are required, named in the error", () => {
    assert.throws(
      () => loadConfig(lambda, lambdaCapabilities.http),
      (e: unknown) =>
        e instanceof ConfigError &&
        /SMS_QUEUE_URL/.test(e.message) &&
        /AUTH_SECRET/.test(e.message) &&
        // Attachments: the files bucket and the public address CloudFront serves them at.
        /BUCKET_NAME/.test(e.message) &&
        /FILES_BASE_URL/.test(e.message),
    );
    assert.throws(() => loadConfig(lambda, ['files']), /BUCKET_NAME/);
    assert.throws(() => loadConfig(lambda, ['sendSms']), /EUM_ORIGINATION_IDENTITY/);
    assert.throws(() => loadConfig({ ...lambda, SMS_QUEUE_URL: 'not a url' }, ['queueSms']), /SMS_QUEUE_URL/);
    assert.throws(() => loadConfig(lambda, ['queueBulkSms']), /SMS_BULK_QUEUE_URL/);
    assert.throws(
      () =>
        loadConfig(
          { ...lambda, BROADCAST_SCHEDULE_GROUP: 'g', BROADCAST_SCHEDULER_ROLE_ARN: 'role', JOBS_FUNCTION_ARN: 'fn' },
          ['scheduleBroadcasts'],
        ),
      (e: unknown) =>
        e instanceof ConfigError &&
        /BROADCAST_SCHEDULER_ROLE_ARN/.test(e.message) &&
        /JOBS_FUNCTION_ARN/.test(e.message),
    );
    const send = loadConfig(
      { ...lambda, EUM_ORIGINATION_IDENTITY: 'pool-1', EUM_CONFIGURATION_SET: 'cs', AUTH_SECRET: 'x'.repeat(32) },
      lambdaCapabilities['sms-send'],
    );
    assert.equal(send.APP_MODE === 'aws' && send.EUM_ORIGINATION_IDENTITY, 'pool-1');
    assert.equal(send.AUTH_SECRET, 'x'.repeat(32));
  });

  test('locally one process does everything: a capability list changes nothing', () => {
    assert.deepEqual(loadConfig({}, []), loadConfig({}));
  });

  test('settingsOf names the environment variables of capabilities', () => {
    assert.deepEqual(settingsOf(lambdaCapabilities.http), [
      'AUTH_SECRET_ARN',
      'BROADCAST_SCHEDULER_ROLE_ARN',
      'BROADCAST_SCHEDULE_GROUP',
      'BUCKET_NAME',
      'FILES_BASE_URL',
      'JOBS_FUNCTION_ARN',
      'ORIGIN_SECRET',
      'SMS_QUEUE_URL',
    ]);
    assert.deepEqual(settingsOf(['queueBulkSms']), ['SMS_BULK_QUEUE_URL']);
    assert.deepEqual(settingsOf(lambdaCapabilities['sms-status']), []);
  });
});

test('the log writes JSON lines at LOG_LEVEL and above only', async () => {
  const { jsonLogger } = await import('#core/log.ts');
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    const log = jsonLogger('warn');
    log({ level: 'info', msg: 'quiet' });
    log({ level: 'error', msg: 'loud', requestId: 'r1' });
    jsonLogger('silent')({ level: 'error', msg: 'never' });
  } finally {
    console.log = original;
  }
  assert.deepEqual(
    lines.map((l) => JSON.parse(l).msg),
    ['loud'],
  );
});

describe('loadPublicFilesConfig (the public-files Lambda: no table)', () => {
  test('the two bucket names and the region, no TABLE_NAME', () => {
    const c = loadPublicFilesConfig({
      AWS_REGION: 'cn-northwest-1',
      BUCKET_NAME: 'files-b',
      PUBLIC_BUCKET_NAME: 'static-b',
    });
    assert.deepEqual(c, {
      AWS_REGION: 'cn-northwest-1',
      LOG_LEVEL: 'info',
      BUCKET_NAME: 'files-b',
      PUBLIC_BUCKET_NAME: 'static-b',
    });
    assert.deepEqual(settingsOf(lambdaCapabilities['public-files']), ['BUCKET_NAME', 'PUBLIC_BUCKET_NAME']);
  });

  test('a missing bucket name is named', () => {
    assert.throws(
      () => loadPublicFilesConfig({ AWS_REGION: 'cn-northwest-1', BUCKET_NAME: 'files-b' }),
      (err: unknown) => err instanceof ConfigError && /PUBLIC_BUCKET_NAME: .*\(not set\)/.test(err.message),
    );
  });
});
