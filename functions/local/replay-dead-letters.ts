/**
 * `npm run replay -- --queue <dead-letter queue URL> [--to <queue URL>] [--dry-run] [--max N]`:
 * hands each message of a dead-letter queue back to where it came from, and deletes it from the
 * dead-letter queue only once that hand-back succeeded (a failure leaves it there, visible again
 * after the visibility timeout, for the next run).
 *
 * Two kinds of dead letter (infra/constructs/sms-channel.ts, scheduled-jobs.ts):
 * - a Lambda asynchronous-invocation failure record (the SNS failed-events queue: inbound SMS and
 *   delivery receipts after Lambda's two retries): `requestPayload` is the original event; the
 *   function named in `requestContext.functionArn` is invoked again with it, asynchronously, as
 *   SNS invoked it (unqualified: the code deployed now, which may hold the fix);
 * - anything else is an SQS message that exhausted its receives (the outbound and bulk queues'
 *   dead-letter queues: `{"id"}` bodies): its body goes back to the source queue, named by `--to`
 *   or found by SQS's ListDeadLetterSourceQueues (the queue whose redrive policy names this one).
 *   The sender skips an SMS already sent or failed, so a replay never sends twice.
 *
 * - an SNS notification (the subscriptions' undelivered-events queue: SNS could not invoke the
 *   function at all): with `--function <name>`, the function is invoked with the SNS event the
 *   notification would have been (`snsEventOf`).
 *
 * The jobs dead-letter queue (EventBridge Scheduler) holds the scheduler's target input with
 * error attributes, not a Lambda record: it goes back by `--to`-less invocation of the jobs
 * function only with `--function <name>`.
 *
 * Credentials, region and endpoint come from the usual places (AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SQS …), as for any AWS SDK client.
 */

import {
  DeleteMessageCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';

/** What Lambda writes to an on-failure destination (the fields a replay needs). */
export interface FailureRecord {
  requestContext: { functionArn: string; condition?: string; approximateInvokeCount?: number };
  requestPayload: unknown;
  responsePayload?: { errorType?: string; errorMessage?: string };
}

export type ReplayTarget =
  | { kind: 'invoke'; functionName: string; payload: unknown; error?: string }
  | { kind: 'queue'; queueUrl: string; body: string }
  | { kind: 'unknown'; reason: string };

/** The failure record in a dead letter's body, or undefined when the body is not one. */
export function failureRecordOf(body: string): FailureRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const r = parsed as Partial<FailureRecord>;
  const arn = r.requestContext?.functionArn;
  if (typeof arn !== 'string' || !('requestPayload' in r)) return undefined;
  return r as FailureRecord;
}

/**
 * The function of a failure record, unqualified: `arn:aws:lambda:r:a:function:name:$LATEST` →
 * `arn:aws:lambda:r:a:function:name` (a replay runs the code deployed now).
 */
export function unqualifiedFunction(functionArn: string): string {
  const parts = functionArn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : functionArn;
}

/** An SNS notification as SNS keeps it in a subscription's dead-letter queue (the fields an SNS event carries). */
export interface SnsNotification {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string | null;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  UnsubscribeURL?: string;
  MessageAttributes?: Record<string, unknown>;
}

/** The SNS notification in a dead letter's body (a subscription's dead-letter queue), or undefined. */
export function snsNotificationOf(body: string): SnsNotification | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const n = parsed as Partial<SnsNotification> | null;
  if (n?.Type !== 'Notification' || typeof n.TopicArn !== 'string' || typeof n.Message !== 'string') return undefined;
  if (typeof n.MessageId !== 'string') return undefined;
  return n as SnsNotification;
}

/**
 * The event SNS would have invoked the subscribed function with (aws-lambda's SNSEvent shape), so
 * the function handles a replayed notification exactly as it would have the first time.
 */
export function snsEventOf(n: SnsNotification): SNSEvent {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${n.TopicArn}:replay`,
        Sns: {
          Type: n.Type,
          MessageId: n.MessageId,
          TopicArn: n.TopicArn,
          Subject: n.Subject ?? undefined,
          Message: n.Message,
          Timestamp: n.Timestamp,
          SignatureVersion: n.SignatureVersion ?? '1',
          Signature: n.Signature ?? '',
          SigningCertUrl: n.SigningCertURL ?? '',
          UnsubscribeUrl: n.UnsubscribeURL ?? '',
          MessageAttributes: (n.MessageAttributes ?? {}) as SNSEvent['Records'][number]['Sns']['MessageAttributes'],
        },
      },
    ],
  };
}

/** Where one dead letter goes back to. `sources`: the queues whose redrive policy names this dead-letter queue. */
export function replayTarget(
  body: string,
  options: { to?: string; sources: string[]; functionName?: string },
): ReplayTarget {
  const record = failureRecordOf(body);
  if (record) {
    return {
      kind: 'invoke',
      functionName: options.functionName ?? unqualifiedFunction(record.requestContext.functionArn),
      payload: record.requestPayload,
      ...(record.responsePayload?.errorMessage ? { error: record.responsePayload.errorMessage } : {}),
    };
  }
  const notification = snsNotificationOf(body);
  if (notification) {
    // A subscription's dead-letter queue (SNS could not hand the message to its function): the
    // notification names its topic, not its function, so the operator says which function.
    if (!options.functionName)
      return {
        kind: 'unknown',
        reason: `an SNS notification of ${notification.TopicArn}: say which function it was for with --function (sms-inbound for the inbound topic, sms-status for the events topic)`,
      };
    return { kind: 'invoke', functionName: options.functionName, payload: snsEventOf(notification) };
  }
  if (options.functionName) {
    // The jobs dead-letter queue: EventBridge Scheduler puts the target's input there as it was.
    try {
      return { kind: 'invoke', functionName: options.functionName, payload: JSON.parse(body) };
    } catch {
      return { kind: 'unknown', reason: 'the body is not JSON, so it cannot be an invocation payload' };
    }
  }
  if (options.to) return { kind: 'queue', queueUrl: options.to, body };
  if (options.sources.length === 1) return { kind: 'queue', queueUrl: options.sources[0]!, body };
  return {
    kind: 'unknown',
    reason: options.sources.length
      ? `several queues send their dead letters here (${options.sources.join(', ')}): say which with --to`
      : 'no queue names this one as its dead-letter queue and the body is no Lambda failure record: say where with --to',
  };
}

/** What the replay needs of AWS: a port, so that its order (hand back, then delete) is tested apart from the SDK. */
export interface ReplayPorts {
  receive(max: number): Promise<Array<{ messageId: string; receiptHandle: string; body: string }>>;
  remove(receiptHandle: string): Promise<void>;
  sources(): Promise<string[]>;
  send(queueUrl: string, body: string): Promise<void>;
  invoke(functionName: string, payload: unknown): Promise<void>;
}

export interface ReplayReport {
  replayed: number;
  failed: number;
  skipped: number;
  lines: string[];
}

export async function replayDeadLetters(
  ports: ReplayPorts,
  options: { dryRun?: boolean; max?: number; to?: string; functionName?: string },
): Promise<ReplayReport> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  const report: ReplayReport = { replayed: 0, failed: 0, skipped: 0, lines: [] };
  const sources = options.to ? [] : await ports.sources();
  const seen = new Set<string>();
  while (report.replayed + report.failed + report.skipped < max) {
    const batch = await ports.receive(Math.min(10, max - report.replayed - report.failed - report.skipped));
    const fresh = batch.filter((m) => !seen.has(m.messageId));
    if (!fresh.length) break;
    for (const m of fresh) {
      seen.add(m.messageId);
      const target = replayTarget(m.body, { sources, ...options });
      if (target.kind === 'unknown') {
        report.skipped++;
        report.lines.push(`${m.messageId}: left in the queue: ${target.reason}`);
        continue;
      }
      const where =
        target.kind === 'invoke'
          ? `invoke ${target.functionName}${target.error ? ` (it had failed: ${target.error})` : ''}`
          : `send to ${target.queueUrl}`;
      if (options.dryRun) {
        report.skipped++;
        report.lines.push(`${m.messageId}: would ${where}`);
        continue;
      }
      try {
        if (target.kind === 'invoke') await ports.invoke(target.functionName, target.payload);
        else await ports.send(target.queueUrl, target.body);
      } catch (err) {
        report.failed++;
        report.lines.push(`${m.messageId}: ${where} failed, left in the queue: ${(err as Error).message}`);
        continue;
      }
      // Only now: a hand-back that failed keeps its dead letter.
      await ports.remove(m.receiptHandle);
      report.replayed++;
      report.lines.push(`${m.messageId}: ${where}, deleted from the dead-letter queue`);
    }
  }
  return report;
}

/** The SQS side of the ports; `invoke` loads the Lambda client when a failure record first needs it. */
export function sqsReplayPorts(
  sqs: SQSClient,
  queueUrl: string,
  options: { dryRun?: boolean; invoke?: ReplayPorts['invoke'] } = {},
): ReplayPorts {
  return {
    async receive(max) {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: 1,
          // A dry run must leave every message visible; a replay holds each while it hands it back.
          VisibilityTimeout: options.dryRun ? 0 : 60,
        }),
      );
      return (res.Messages ?? []).map((m) => ({
        messageId: m.MessageId ?? '',
        receiptHandle: m.ReceiptHandle ?? '',
        body: m.Body ?? '',
      }));
    },
    async remove(receiptHandle) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
    },
    async sources() {
      const res = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl }));
      return res.queueUrls ?? [];
    },
    async send(target, body) {
      await sqs.send(new SendMessageCommand({ QueueUrl: target, MessageBody: body }));
    },
    invoke: options.invoke ?? lambdaInvoke(),
  };
}

/**
 * Invokes a function asynchronously (InvocationType Event, as SNS and the scheduler do) with
 * @aws-sdk/client-lambda, loaded on first use: only failure records need it.
 */
function lambdaInvoke(): ReplayPorts['invoke'] {
  // The package is named by a variable so that the SQS-only replays and the type check do not need it installed.
  const lambdaPackage = '@aws-sdk/client-lambda';
  let client: Promise<{ send(command: unknown): Promise<{ StatusCode?: number; FunctionError?: string }> }> | undefined;
  let Invoke: (new (input: object) => unknown) | undefined;
  return async (functionName, payload) => {
    client ??= import(lambdaPackage).then(
      (m: { LambdaClient: new (c: object) => never; InvokeCommand: new (input: object) => unknown }) => {
        Invoke = m.InvokeCommand;
        return new m.LambdaClient({});
      },
      () => {
        throw new Error(`${lambdaPackage} is not installed: npm install ${lambdaPackage}`);
      },
    );
    const lambda = await client;
    const res = await lambda.send(
      new Invoke!({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    if (res.StatusCode !== 202) throw new Error(`Lambda answered ${res.StatusCode} ${res.FunctionError ?? ''}`);
  };
}

const USAGE = `usage: npm run replay -- --queue <dead-letter queue URL> [--to <queue URL>] [--function <name>] [--dry-run] [--max N]

  Hands each message of a dead-letter queue back, then deletes it from the dead-letter queue:
  - a Lambda failure record (the SNS failed-events queue): invokes its function again with the
    original event (requestPayload);
  - an SQS message (the outbound and bulk queues' dead-letter queues): sends its body back to its
    source queue (--to, or the one queue whose redrive policy names this dead-letter queue);
  - --function <name>: every body is the payload of that function (the jobs dead-letter queue).
  --dry-run says what it would do and changes nothing; --max N stops after N messages.
  Credentials, region and endpoint: the AWS SDK's usual settings (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL).`;

export function parseReplayArgs(argv: string[]) {
  const args: { queue?: string; to?: string; functionName?: string; dryRun: boolean; max?: number } = {
    dryRun: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--queue') args.queue = value();
    else if (a === '--to') args.to = value();
    else if (a === '--function') args.functionName = value();
    else if (a === '--dry-run') args.dryRun = true;
    else if (a === '--max') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error('--max needs a whole number above 0');
      args.max = n;
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!args.queue) throw new Error('--queue is required');
  return args as typeof args & { queue: string };
}

async function main() {
  let args: ReturnType<typeof parseReplayArgs>;
  try {
    args = parseReplayArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const sqs = new SQSClient({});
  try {
    const report = await replayDeadLetters(sqsReplayPorts(sqs, args.queue, { dryRun: args.dryRun }), args);
    for (const line of report.lines) console.log(line);
    console.log(
      `${args.dryRun ? 'dry run: ' : ''}${report.replayed} replayed, ${report.failed} failed (left in the queue), ${report.skipped} ${args.dryRun ? 'listed' : 'left in the queue'}`,
    );
    if (report.failed) process.exitCode = 1;
  } finally {
    sqs.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
