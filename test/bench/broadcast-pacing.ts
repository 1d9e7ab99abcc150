/**
 * Paced sending of broadcast SMS on the local stack (dynalite in memory, the local outbox
 * gateway): the local paced bulk queue, whose Pacer and DynamoDB one-second windows are the
 * sms-send Lambda's, sends a few seconds' worth of messages at each configured rate; the
 * figure is the measured rate beside the configured one, within 10 % either way: gateway calls
 * per second over the whole clock seconds between the first call and the last (the windows the
 * limit is kept in; a partial first or last second would say more about where the run began
 * than about the pace). Then two senders sharing the windows, as the Lambda's two pollers do:
 * together still at the rate.
 */
import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoQuotaCounter } from '#adapters/dynamodb/quota-counters.ts';
import { DynamoSendRate } from '#adapters/dynamodb/send-rate.ts';
import { PacedQueue } from '#adapters/queue/paced-queue.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { Pacer, sleep } from '#core/sms/pacing.ts';
import type { SenderDeps } from '#core/sms/sender.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { type Figure, figure } from './report.ts';

export interface PacingBenchOptions {
  /** Configured rates to measure, messages per second. */
  rates: number[];
  /** Seconds' worth of messages per measurement. */
  seconds: number;
}

const TOLERANCE = 0.1;

async function record(stack: TestStack, count: number): Promise<OutboundSms[]> {
  const run = randomUUID().slice(0, 8);
  const batch = Array.from(
    { length: count },
    (_, i): OutboundSms => ({
      id: `bench-${run}-${i}`,
      to: `+86139${String(i).padStart(8, '0')}`,
      text: '[Zhingdrok] Frost tonight: cover seedlings.',
      encoding: 'GSM-7',
      segments: 1,
      key: 'broadcast.text',
      params: {},
      essential: true,
      createdAt: new Date().toISOString(),
    }),
  );
  for (const m of batch) await stack.deps.outbound.record(m);
  return batch;
}

/** Gateway calls per second over the whole clock seconds strictly inside the run. */
export function wholeSecondRate(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const from = Math.floor(sorted[0]! / 1000) + 1;
  const to = Math.floor(sorted.at(-1)! / 1000);
  if (to - from < 1) return (sorted.length - 1) / ((sorted.at(-1)! - sorted[0]!) / 1000);
  return sorted.filter((t) => t >= from * 1000 && t < to * 1000).length / (to - from);
}

/** Sends `batch` through `senders` paced queues sharing one rate window subject: the measured rate. */
async function measure(stack: TestStack, rate: number, batch: OutboundSms[], senders: number): Promise<number> {
  const quota = new DynamoQuotaCounter(
    createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint }),
    stack.tableName,
  );
  const subject = randomUUID();
  const calls: number[] = [];
  const sender: SenderDeps = {
    ...stack.deps.sender,
    gateway: {
      name: stack.deps.sender.gateway.name,
      send: (msg) => {
        calls.push(Date.now());
        return stack.deps.sender.gateway.send(msg);
      },
    },
  };
  const queues = Array.from(
    { length: senders },
    () =>
      new PacedQueue(
        sender,
        new Pacer({ rate, sendRate: new DynamoSendRate(quota, rate, subject), now: () => new Date(), sleep }),
      ),
  );
  // Dealt out in turn, as SQS hands batches to two pollers.
  await Promise.all(queues.map((q, k) => q.enqueue(batch.filter((_, i) => i % senders === k))));
  await Promise.all(queues.map((q) => q.drain()));
  return wholeSecondRate(calls);
}

function rateFigure(name: string, rate: number, measured: number, note: string): Figure {
  const f = figure({
    group: 'broadcast pacing',
    name,
    value: measured,
    unit: 'msg/s',
    baseline: { name: 'configured rate', value: rate },
    target: { of: 'ratio', op: '>=', limit: 1 - TOLERANCE },
    note,
  });
  // Within 10 % either way: too fast is as wrong as too slow (the gateway throttles).
  return { ...f, pass: f.pass === true && (f.ratio ?? Number.POSITIVE_INFINITY) <= 1 + TOLERANCE };
}

export async function broadcastPacingSection(
  options: PacingBenchOptions,
): Promise<{ figures: Figure[]; notes: string[] }> {
  const stack = await startTestStack();
  try {
    const figures: Figure[] = [];
    for (const rate of options.rates) {
      const batch = await record(stack, Math.max(10, Math.round(rate * options.seconds)));
      const measured = await measure(stack, rate, batch, 1);
      figures.push(
        rateFigure(
          `${batch.length} SMS at ${rate}/s, one sender`,
          rate,
          measured,
          'local paced queue, ratio within 0.9–1.1',
        ),
      );
    }
    const rate = Math.max(...options.rates);
    const batch = await record(stack, Math.max(10, Math.round(rate * options.seconds)));
    const together = await measure(stack, rate, batch, 2);
    figures.push(
      rateFigure(
        `${batch.length} SMS at ${rate}/s, two senders sharing the windows`,
        rate,
        together,
        'as the sms-send Lambda’s two pollers: the shared one-second windows hold them to the rate',
      ),
    );
    return {
      figures,
      notes: [
        `broadcast pacing: measured rate = gateway calls per whole clock second between the first and the last; ${options.seconds} s of messages per figure`,
      ],
    };
  } finally {
    await stack.close();
  }
}
