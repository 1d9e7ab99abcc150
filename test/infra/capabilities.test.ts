/**
 * Each Lambda in the synthesized template has exactly the settings and grants of its
 * capabilities (functions/handlers/capabilities.ts, functions/config.ts): no function holds a
 * setting, a secret or a permission it does not use.
 */
import assert from 'node:assert/strict';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { settingsOf } from '#config';
import { type LambdaName, lambdaCapabilities } from '#handlers/capabilities.ts';
import { actionsOf, type Statement, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'] }, { bundle: false });
});
afterAll(() => synth?.dispose());

/** The functions of this (the default, `aws`) synth: public-files is aws-cn's only, checked in test/infra/public-files.test.ts. */
type AwsLambdaName = Exclude<LambdaName, 'public-files'>;

const functionsOf = (s: SynthesizedStack['stack']): Record<AwsLambdaName, IConstruct> => ({
  http: s.httpFunction,
  'price-import': s.priceImportFunction,
  jobs: s.jobs.function,
  seed: s.seedFunction,
  'sms-inbound': s.sms.inboundFunction!,
  'sms-send': s.sms.sendFunction,
  'sms-status': s.sms.statusFunction!,
  voice: s.voiceFunction,
  'voice-studio': s.voiceStudioFunction,
});

/** Every function has these: the table, the admins, and what the construct sets itself. */
const everyFunction = ['ADMIN_PHONES', 'APP_MODE', 'LOG_LEVEL', 'NODE_OPTIONS', 'TABLE_NAME'];

const readwrite = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];
/** Objects written, read and deleted by key under the function's prefixes, and ListBucket (a missing key is a 404, not a 403). */
const s3Objects = ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:ListBucket'];
/** SNS-invoked functions park an event that failed Lambda's retries in the FailedEvents queue. */
const failureDestination = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];

/** Each function's grants, `action @ resource` (the resource by the logical id it names). */
const expectedGrants = (
  id: (c: IConstruct) => string,
  s: SynthesizedStack['stack'],
): Record<AwsLambdaName, string[]> => {
  const on = (resource: string, actions: string[]) => actions.map((a) => `${a} @ ${resource}`);
  const table = id(s.table);
  const files = id(s.filesBucket);
  const outbound = id(s.sms.queue);
  const bulk = id(s.sms.bulkQueue);
  const failed = id(s.sms.failedEventsQueue!);
  // The `signIn` functions read AUTH_SECRET at their first invocation: its secret only.
  const authSecret = on(JSON.stringify({ Ref: id(s.authSecret) }), ['secretsmanager:GetSecretValue']);
  // Broadcasts' one-time schedules: make, move and delete them in their group only, and hand them the scheduler's role.
  const schedules = JSON.stringify(
    s.resolve(
      s.formatArn({
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${s.jobs.broadcastScheduleGroup.scheduleGroupName}/*`,
      }),
    ),
  );
  const scheduling = [
    ...on(schedules, ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule']),
    ...on(id(s.jobs.role), ['iam:PassRole']),
  ];
  return {
    http: [
      ...authSecret,
      ...on(table, readwrite),
      ...on(outbound, ['sqs:SendMessage']),
      ...scheduling,
      // Attachments: presigned uploads under uploads/, kept under attachments/ (test/infra/knowledge.test.ts).
      ...on(files, ['s3:PutObject', 's3:GetObject', 's3:DeleteObject']),
      ...on(files, ['s3:PutObject', 's3:DeleteObject']),
      // An expert's recorded answer: PutObject on voice/answers/ only.
      ...on(files, ['s3:PutObject']),
    ],
    // imports/prices/ and staged/prices/ only (test/infra/price-import.test.ts checks the prefixes).
    'price-import': [...authSecret, ...on(table, readwrite), ...on(files, s3Objects)],
    jobs: [
      ...on(table, readwrite),
      ...on(outbound, ['sqs:SendMessage']),
      ...on(bulk, ['sqs:SendMessage']),
      ...scheduling,
      // The sweep: interrupted imports' write plans only, read then deleted.
      ...on(files, ['s3:GetObject', 's3:DeleteObject', 's3:ListBucket']),
      // A job that fails after Lambda's retries: its invocation record goes to the jobs' dead-letter queue.
      ...on(id(s.jobs.deadLetterQueue), failureDestination),
      // The upload cleanup: list uploads/, delete stale ones.
      ...on(files, ['s3:ListBucket', 's3:DeleteObject']),
      // The open-data snapshot: PutObject on open-data/ of the static bucket only (test/infra/open-data.test.ts).
      ...on(id(s.staticBucket), ['s3:PutObject']),
    ],
    seed: on(table, ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
    'sms-inbound': [...on(table, readwrite), ...on(outbound, ['sqs:SendMessage']), ...on(failed, failureDestination)],
    'sms-send': [
      ...authSecret,
      ...on(table, readwrite),
      ...on(s.getLogicalId(s.sms.configurationSet!), ['sms-voice:SendTextMessage']),
      // The event source mappings poll the queues with the function's role.
      ...[outbound, bulk].flatMap((queue) =>
        on(queue, [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ]),
      ),
    ],
    'sms-status': [...on(table, readwrite), ...on(failed, failureDestination)],
    // Audio under voice/ only (test/infra/voice.test.ts checks the prefix).
    voice: [...on(table, readwrite), ...on(outbound, ['sqs:SendMessage']), ...on(files, s3Objects)],
    // The studio's clips, the audio it serves: voice/ only (test/infra/voice.test.ts checks the prefix).
    'voice-studio': [...authSecret, ...on(table, readwrite), ...on(files, s3Objects)],
  };
};

/**
 * The logical ids a statement's resources name (Ref or Fn::GetAtt), each once, or the text of a
 * plain ARN: a statement that names two queues (statements with the same actions are merged)
 * grants on both.
 */
function resourceIdsOf(statement: Statement): string[] {
  const text = JSON.stringify(statement.Resource);
  const ids = [...text.matchAll(/"(?:Ref|Fn::GetAtt)":\["?([A-Za-z0-9]+)"/g)].map((m) => m[1]!);
  return ids.length ? [...new Set(ids)] : [text];
}

describe('each Lambda has the settings and grants of its capabilities, and no others', () => {
  test('every Lambda of the stack is in the capabilities list, and the other way round', () => {
    const listed = Object.values(functionsOf(synth.stack)).map((fn) => synth.logicalId(fn));
    const inTemplate = synth
      .ofType('AWS::Lambda::Function')
      .filter(([, f]) => f.Properties.Environment?.Variables?.APP_MODE === 'aws')
      .map(([id]) => id);
    assert.deepEqual(inTemplate.sort(), listed.sort());
  });

  test('environment variables: exactly those of its capabilities, besides the ones every function has', () => {
    for (const [name, fn] of Object.entries(functionsOf(synth.stack)) as [AwsLambdaName, IConstruct][]) {
      const env = synth.resources[synth.logicalId(fn)]!.Properties.Environment.Variables;
      assert.deepEqual(
        Object.keys(env).sort(),
        [...everyFunction, ...settingsOf(lambdaCapabilities[name])].sort(),
        name,
      );
    }
  });

  test('no BUCKET_NAME nor bucket grant without `files`; no secret without its capability', () => {
    for (const [name, fn] of Object.entries(functionsOf(synth.stack)) as [AwsLambdaName, IConstruct][]) {
      const caps: readonly string[] = lambdaCapabilities[name];
      const env = synth.resources[synth.logicalId(fn)]!.Properties.Environment.Variables;
      const actions = synth.statementsOfFunction(synth.logicalId(fn)).flatMap(actionsOf);
      assert.equal('BUCKET_NAME' in env, caps.includes('files'), `${name} BUCKET_NAME`);
      assert.equal(
        actions.some((a) => a.startsWith('s3:')),
        caps.includes('files'),
        `${name} S3`,
      );
      assert.equal('AUTH_SECRET_ARN' in env, caps.includes('signIn'), `${name} AUTH_SECRET_ARN`);
      assert.equal('AUTH_SECRET' in env, false, `${name} AUTH_SECRET: read at run time, never given`);
      assert.equal('ORIGIN_SECRET' in env, caps.includes('behindApi'), `${name} ORIGIN_SECRET`);
      assert.equal(
        actions.some((a) => a.startsWith('sms-voice:')),
        caps.includes('sendSms'),
        `${name} sms-voice`,
      );
    }
  });

  test('IAM: exactly the grants each function uses, on the resources it uses them on', () => {
    const id = (c: IConstruct) => synth.logicalId(c);
    const expected = expectedGrants(id, synth.stack);
    for (const [name, fn] of Object.entries(functionsOf(synth.stack)) as [AwsLambdaName, IConstruct][]) {
      const grants = synth
        .statementsOfFunction(id(fn))
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => actionsOf(s).flatMap((a) => resourceIdsOf(s).map((r) => `${a} @ ${r}`)));
      assert.deepEqual(grants.sort(), [...expected[name]].sort(), name);
    }
  });
});
