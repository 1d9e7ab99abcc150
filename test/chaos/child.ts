/**
 * The application side of a chaos scenario, in a process of its own so that the harness can
 * SIGKILL it at any moment while the stores (dynalite, s3rver) and the gateway stand-in live on
 * in the parent, as DynamoDB, S3 and the SMS network outlive a Lambda.
 *
 *   echo '<json ChildJob>' | node --import tsx test/chaos/child-main.ts
 *
 * It builds the same deps a Lambda builds (createDeps with the inbound and import parts, mode
 * local so that replies are sent at once by the in-process queue), then injects faults into the
 * real clients: every DynamoDB request through the root document client's middleware stack, and
 * every End User Messaging request through the sender's client (the sender sends through the real
 * EndUserMessagingGateway to the parent's stand-in). Writes one line per event on stdout
 * (synchronously, so that nothing is lost to the kill):
 *   ack <key>            a work item was acknowledged (invocation succeeded, request answered)
 *   dead <key> <json>    a work item exhausted its retries; its dead letter
 *   redelivered          one more invocation of a work item
 *   kill <n>             the n-th DynamoDB request is being held back: kill me now
 *   counts <json>        the fault and retry counts, at the end
 *   clock <ms>           the simulated clock moved to this time (the next child starts there)
 */
import { appendFileSync, writeSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { priceImportParts } from '#adapters/import-wiring.ts';
import { inboundSmsParts } from '#adapters/inbound-wiring.ts';
import { createS3Client } from '#adapters/s3/client.ts';
import { S3FileStore } from '#adapters/s3/file-store.ts';
import { createEumClient, EndUserMessagingGateway } from '#adapters/sms/end-user-messaging.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { sqsRecord } from '#test/fixtures/sqs-event.ts';
import { injectDynamoFaults, injectGatewayFaults, noCounts, seededRandom } from './faults.ts';
import type { ChildJob, DeadLetter, LambdaFailureRecord } from './types.ts';

export function buildChildDeps(job: ChildJob) {
  const config = loadConfig(job.env);
  if (config.APP_MODE !== 'local') throw new Error('the chaos child runs against the local stand-ins');
  const settings = {
    ...storageSettingsFrom(config),
    s3Endpoint: job.s3Endpoint,
    // The app's own log lines are not the report: errors go to stderr for a failure's message.
    log: (entry: Record<string, unknown>) => {
      // CHAOS_DEBUG_LOG=<file> (passed on by the harness): every line, prefixed by the phase; an
      // error line is followed by the fault counts so far (injected, retries, exhausted).
      if (process.env.CHAOS_DEBUG_LOG) {
        const so = entry.level === 'error' ? ` ${JSON.stringify(counts)}` : '';
        appendFileSync(process.env.CHAOS_DEBUG_LOG, `${job.phase} ${JSON.stringify(entry)}${so}\n`);
      }
      if (entry.level === 'error') process.stderr.write(`${JSON.stringify(entry)}\n`);
    },
  };
  const files = new S3FileStore(
    createS3Client({ region: settings.region, endpoint: job.s3Endpoint }),
    config.BUCKET_NAME,
  );
  let root: DynamoDBDocumentClient | undefined;
  const deps = createDeps(settings, composeHere, (parts, self) => {
    root = parts.db;
    return { ...priceImportParts(settings, files)(parts), ...inboundSmsParts()(parts, self) };
  });
  const counts = { dynamodb: noCounts(), gateway: noCounts() };
  const kill = async (n: number) => {
    if (job.killAt === undefined || n < job.killAt) return;
    if (n === job.killAt) {
      reportCounts(counts);
      writeSync(1, `kill ${n}\n`);
    }
    await new Promise(() => {}); // held back: the process dies here
  };
  injectDynamoFaults(root!, {
    rate: job.faults === 'dynamodb' ? job.rate : 0,
    random: seededRandom(job.seed),
    counts: counts.dynamodb,
    beforeRequest: kill,
  });
  // The sender's gateway: the real End User Messaging adapter and client (adaptive retry), to the stand-in.
  deps.sender.gateway = new EndUserMessagingGateway(
    async () => {
      const client = await createEumClient({ region: settings.region, endpoint: job.eumUrl });
      injectGatewayFaults(client, {
        rate: job.faults === 'gateway' ? job.rate : 0,
        random: seededRandom(job.seed + 1),
        counts: counts.gateway,
      });
      return client;
    },
    { originationIdentity: 'chaos-number' },
  );
  return { deps, counts, config };
}

export type ChildDeps = ReturnType<typeof buildChildDeps>['deps'];

/** The counts so far (cumulative): written now and then, before a kill, and at the end. */
export function reportCounts(counts: object) {
  writeSync(1, `counts ${JSON.stringify(counts)}\n`);
}

/** The child's report lines, written synchronously (a SIGKILL loses nothing already written). */
export const io = {
  ack: (key: string) => writeSync(1, `ack ${key}\n`),
  dead: (key: string, record: DeadLetter) => writeSync(1, `dead ${key} ${JSON.stringify(record)}\n`),
  redelivered: () => writeSync(1, 'redelivered\n'),
  /** The simulated clock moved: the next child starts from here. */
  clock: (at: Date) => writeSync(1, `clock ${at.getTime()}\n`),
};
export type ChildIo = typeof io;

/** Lambda's asynchronous invocation: the first try and two retries (AWS waits 1 and 2 minutes; here none). */
export const ASYNC_INVOKE_ATTEMPTS = 3;

/**
 * Invokes `handler` with `event` as Lambda invokes an asynchronous event source (SNS,
 * EventBridge Scheduler): a thrown error is retried twice, then the event goes to the
 * function's on-failure destination with what failed.
 */
export async function invokeAsync(
  functionName: string,
  handler: (event: never) => Promise<unknown>,
  event: unknown,
  key: string,
): Promise<boolean> {
  let last: Error | undefined;
  for (let attempt = 1; attempt <= ASYNC_INVOKE_ATTEMPTS; attempt++) {
    if (attempt > 1) io.redelivered();
    try {
      await handler(event as never);
      io.ack(key);
      return true;
    } catch (err) {
      last = err as Error;
    }
  }
  io.dead(key, { queue: 'lambda-failure', body: failureRecord(functionName, event, last!, ASYNC_INVOKE_ATTEMPTS) });
  return false;
}

export function failureRecord(
  functionName: string,
  event: unknown,
  err: Error,
  invokeCount: number,
): LambdaFailureRecord {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: crypto.randomUUID(),
      functionArn: `arn:aws:lambda:ap-east-1:123456789012:function:${functionName}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: invokeCount,
    },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: err.name, errorMessage: err.message },
  };
}

/** Runs `work` over `items`, `concurrency` at a time (Lambda runs several invocations at once). */
export async function eachConcurrently<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/**
 * Delivers queue messages to an SQS-triggered handler as the event source mapping does: in
 * batches, a message the handler reports failed (batchItemFailures) or a batch that throws is
 * received again with a higher ApproximateReceiveCount, and after `maxReceives` receives the
 * message moves to the queue's dead-letter queue (its body, as SQS keeps it).
 */
export async function deliverSqs(
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  messages: Array<{ key: string; body: string }>,
  maxReceives: number,
  batchSize = 10,
): Promise<void> {
  let waiting = messages.map((m) => ({ ...m, receives: 0 }));
  while (waiting.length) {
    const retry: typeof waiting = [];
    for (let i = 0; i < waiting.length; i += batchSize) {
      const batch = waiting.slice(i, i + batchSize);
      for (const m of batch) if (++m.receives > 1) io.redelivered();
      const records = batch.map((m) => sqsRecord({ body: m.body, receiveCount: m.receives, messageId: m.key }));
      let failed: Set<string>;
      try {
        const res = await handler({ Records: records });
        failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        failed = new Set(batch.map((m) => m.key));
      }
      for (const m of batch) {
        if (!failed.has(m.key)) io.ack(m.key);
        else if (m.receives >= maxReceives) io.dead(m.key, { queue: 'sqs', body: m.body });
        else retry.push(m);
      }
    }
    waiting = retry;
  }
}
