/**
 * `npm run replay`: which way each dead letter goes back, and that it leaves the dead-letter
 * queue only after the hand-back succeeded. The SQS calls go through the real SDK client and
 * its serialisation (AWS JSON 1.0, with its MD5 checks) to a small loopback server answering the
 * SQS operations the replay uses; Lambda invocations go to a recorder in the test (no Lambda
 * stand-in exists locally).
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  failureRecordOf,
  parseReplayArgs,
  replayDeadLetters,
  replayTarget,
  sqsReplayPorts,
  unqualifiedFunction,
} from '#local/replay-dead-letters.ts';
import { failureRecord } from '#test/chaos/child.ts';
import { twoWaySms } from '#test/fixtures/eum-events.ts';
import { snsEvent } from '#test/fixtures/sns-event.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Queues by URL; each message: id, body, receipt handle, visible. Only what the replay calls. */
function sqsStandIn() {
  const queues = new Map<string, Array<{ id: string; body: string; handle: string; visibleAt: number }>>();
  const redrive = new Map<string, string[]>();
  const calls: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      calls.push(op);
      const q = queues.get(input.QueueUrl);
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(body));
      };
      if (!q) return reply(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'no such queue' });
      const now = Date.now();
      if (op === 'ReceiveMessage') {
        const visible = q.filter((m) => m.visibleAt <= now).slice(0, input.MaxNumberOfMessages ?? 1);
        for (const m of visible) {
          m.handle = randomUUID();
          m.visibleAt = now + (input.VisibilityTimeout ?? 30) * 1000;
        }
        return reply(200, {
          Messages: visible.map((m) => ({
            MessageId: m.id,
            ReceiptHandle: m.handle,
            MD5OfBody: md5(m.body),
            Body: m.body,
          })),
        });
      }
      if (op === 'DeleteMessage') {
        const i = q.findIndex((m) => m.handle === input.ReceiptHandle);
        if (i >= 0) q.splice(i, 1);
        return reply(200, {});
      }
      if (op === 'SendMessage') {
        const id = randomUUID();
        q.push({ id, body: input.MessageBody, handle: '', visibleAt: 0 });
        return reply(200, { MessageId: id, MD5OfMessageBody: md5(input.MessageBody) });
      }
      if (op === 'ListDeadLetterSourceQueues') return reply(200, { queueUrls: redrive.get(input.QueueUrl) ?? [] });
      return reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: op });
    });
  });
  return {
    calls,
    queues,
    redrive,
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const stand = sqsStandIn();
let base: string;
let sqs: SQSClient;
const url = (name: string) => `${base}/123456789012/${name}`;
const put = (queue: string, body: string) =>
  stand.queues.get(url(queue))!.push({ id: randomUUID(), body, handle: '', visibleAt: 0 });

/** A failure record as Lambda writes it for an inbound SMS that failed three times. */
const inboundFailure = (text: string) =>
  failureRecord(
    'Zhingdrok-SmsInboundFunction',
    snsEvent({ message: twoWaySms({ from: '+8613900000001', body: text }) }),
    Object.assign(new Error('Throughput exceeds the current capacity'), {
      name: 'ProvisionedThroughputExceededException',
    }),
    3,
  );

beforeAll(async () => {
  base = await stand.start();
  for (const q of ['outbound', 'outbound-dlq', 'failed-events', 'bulk', 'bulk-dlq']) stand.queues.set(url(q), []);
  stand.redrive.set(url('outbound-dlq'), [url('outbound')]);
  sqs = new SQSClient({ region: 'ap-east-1', endpoint: base, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(async () => {
  sqs.destroy();
  await stand.close();
});

describe('where a dead letter goes back', () => {
  test('a Lambda failure record: its function, unqualified, with the original event', () => {
    const record = inboundFailure('HELP');
    const target = replayTarget(JSON.stringify(record), { sources: [] });
    expect(target).toEqual({
      kind: 'invoke',
      functionName: 'arn:aws:lambda:ap-east-1:123456789012:function:Zhingdrok-SmsInboundFunction',
      payload: record.requestPayload,
      error: 'Throughput exceeds the current capacity',
    });
    expect(unqualifiedFunction('arn:aws:lambda:r:1:function:f')).toBe('arn:aws:lambda:r:1:function:f');
  });

  test('an SQS body: its one source queue, or --to; several or none without --to stays put', () => {
    const body = JSON.stringify({ id: 'abc' });
    expect(failureRecordOf(body)).toBeUndefined();
    expect(replayTarget(body, { sources: ['q1'] })).toEqual({ kind: 'queue', queueUrl: 'q1', body });
    expect(replayTarget(body, { sources: ['q1', 'q2'], to: 'q2' })).toEqual({ kind: 'queue', queueUrl: 'q2', body });
    expect(replayTarget(body, { sources: ['q1', 'q2'] }).kind).toBe('unknown');
    expect(replayTarget(body, { sources: [] }).kind).toBe('unknown');
    expect(replayTarget('not json', { sources: [], functionName: 'jobs' }).kind).toBe('unknown');
    expect(replayTarget('{"job":"price-digest"}', { sources: [], functionName: 'jobs' })).toEqual({
      kind: 'invoke',
      functionName: 'jobs',
      payload: { job: 'price-digest' },
    });
  });

  test('an SNS notification from a subscription dead-letter queue: the SNS event, to the function named', () => {
    const notification = {
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: 'arn:aws:sns:cn-north-1:123456789012:Inbound',
      Message: '{"originationNumber":"+8613800000000","messageBody":"PRICE barley"}',
      Timestamp: '2026-12-05T10:00:00.000Z',
      SignatureVersion: '1',
    };
    const body = JSON.stringify(notification);
    const refused = replayTarget(body, { sources: [] });
    expect(refused.kind).toBe('unknown');
    expect(refused.kind === 'unknown' && refused.reason).toContain('--function');
    const target = replayTarget(body, { sources: [], functionName: 'zhingdrok-sms-inbound' });
    expect(target).toMatchObject({ kind: 'invoke', functionName: 'zhingdrok-sms-inbound' });
    const event = (target as { payload: { Records: Array<{ EventSource: string; Sns: Record<string, unknown> }> } })
      .payload;
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]!.EventSource).toBe('aws:sns');
    expect(event.Records[0]!.Sns).toMatchObject({
      MessageId: 'm-1',
      TopicArn: notification.TopicArn,
      Message: notification.Message,
      Timestamp: notification.Timestamp,
    });
  });

  test('arguments: --queue is required, --max a whole number', () => {
    expect(parseReplayArgs(['--queue', 'u', '--dry-run', '--max', '3'])).toEqual({ queue: 'u', dryRun: true, max: 3 });
    expect(() => parseReplayArgs(['--dry-run'])).toThrow('--queue');
    expect(() => parseReplayArgs(['--queue', 'u', '--max', '0'])).toThrow('--max');
    expect(() => parseReplayArgs(['--queue', 'u', '--what'])).toThrow('unknown');
  });
});

describe('replaying a queue through the SQS API', () => {
  test('SQS bodies go back to the source queue found from the redrive policy, then leave the dead-letter queue', async () => {
    put('outbound-dlq', JSON.stringify({ id: 'sms-1' }));
    put('outbound-dlq', JSON.stringify({ id: 'sms-2' }));
    const report = await replayDeadLetters(sqsReplayPorts(sqs, url('outbound-dlq'), { invoke: async () => {} }), {});
    expect(report).toMatchObject({ replayed: 2, failed: 0, skipped: 0 });
    expect(
      stand.queues
        .get(url('outbound'))!
        .map((m) => m.body)
        .sort(),
    ).toEqual(['{"id":"sms-1"}', '{"id":"sms-2"}']);
    expect(stand.queues.get(url('outbound-dlq'))).toEqual([]);
    // Each message was sent back before it was deleted.
    const ops = stand.calls.filter((c) => c === 'SendMessage' || c === 'DeleteMessage');
    expect(ops).toEqual(['SendMessage', 'DeleteMessage', 'SendMessage', 'DeleteMessage']);
  });

  test('failure records invoke the function again; one whose invocation fails stays in the queue', async () => {
    put('failed-events', JSON.stringify(inboundFailure('HELP')));
    put('failed-events', JSON.stringify(inboundFailure('PRICE BARLEY')));
    const invoked: Array<{ fn: string; text: string }> = [];
    const invoke = async (fn: string, payload: unknown) => {
      const text = JSON.parse((payload as ReturnType<typeof snsEvent>).Records[0]!.Sns.Message).messageBody;
      if (text === 'PRICE BARLEY') throw new Error('Rate exceeded');
      invoked.push({ fn, text });
    };
    const report = await replayDeadLetters(sqsReplayPorts(sqs, url('failed-events'), { invoke }), {});
    expect(report).toMatchObject({ replayed: 1, failed: 1 });
    expect(invoked).toEqual([
      { fn: 'arn:aws:lambda:ap-east-1:123456789012:function:Zhingdrok-SmsInboundFunction', text: 'HELP' },
    ]);
    const left = stand.queues.get(url('failed-events'))!;
    expect(left.map((m) => failureRecordOf(m.body)?.requestPayload)).toHaveLength(1);
    expect(JSON.parse(left[0]!.body).requestPayload.Records[0].Sns.Message).toContain('PRICE BARLEY');
  });

  test('--dry-run and --max: listed, nothing sent, nothing deleted', async () => {
    const dlq = url('bulk-dlq');
    for (let i = 0; i < 4; i++) put('bulk-dlq', JSON.stringify({ id: `b-${i}`, bulk: true }));
    const dry = await replayDeadLetters(sqsReplayPorts(sqs, dlq, { dryRun: true }), {
      dryRun: true,
      to: url('bulk'),
      max: 3,
    });
    expect(dry).toMatchObject({ replayed: 0, skipped: 3 });
    expect(dry.lines.every((l) => l.includes(`would send to ${url('bulk')}`))).toBe(true);
    expect(stand.queues.get(dlq)).toHaveLength(4);
    expect(stand.queues.get(url('bulk'))).toEqual([]);
  });

  test('npm run replay honours AWS_ENDPOINT_URL (the command as the runbook gives it)', async () => {
    put('outbound-dlq', JSON.stringify({ id: 'sms-cli' }));
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'functions/local/replay-dead-letters.ts', '--queue', url('outbound-dlq'), '--dry-run'],
        {
          cwd: new URL('../../', import.meta.url).pathname,
          env: {
            PATH: process.env.PATH ?? '',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            AWS_ENDPOINT_URL: base,
            AWS_REGION: 'ap-east-1',
            AWS_ACCESS_KEY_ID: 'x',
            AWS_SECRET_ACCESS_KEY: 'x',
          },
        },
      );
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('exit', (code) => resolve({ code, text }));
    });
    expect(out.text).toContain(`would send to ${url('outbound')}`);
    expect(out.text).toContain('dry run: 0 replayed, 0 failed (left in the queue), 1 listed');
    expect(out.code).toBe(0);
    expect(stand.queues.get(url('outbound-dlq'))).toHaveLength(1);
  });
});
