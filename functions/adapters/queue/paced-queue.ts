import type { OutboundSms } from '#core/sms/messages.ts';
import type { Pacer } from '#core/sms/pacing.ts';
import type { OutboundQueue } from '#core/sms/ports.ts';
import { type SenderDeps, sendQueuedSms } from '#core/sms/sender.ts';

export interface PacedQueueOptions {
  /** Attempts of one message before a gateway failure is recorded as failed (as SQS's receives in AWS). */
  maxAttempts?: number;
  baseDelayMs?: number;
  /**
   * Messages being sent at once (default 8). Each starts at its turn, in the order queued; a
   * send takes several table requests besides the gateway call, so one at a time would fall
   * below the rate whenever a send takes longer than 1/rate.
   */
  maxInFlight?: number;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * The local bulk queue: what the bulk SQS queue and the paced sms-send Lambda are in AWS, in
 * process. `enqueue` returns at once; one loop hands the messages to the sender in the order
 * queued, each when the pacer lets it (the same Pacer and DynamoDB rate windows as in AWS), a
 * few in flight at once, with the same retries as LocalQueue: backoff, and on the last attempt
 * a gateway failure is recorded as failed. A retry is a new call to the gateway, so it waits
 * for its turn too.
 */
export class PacedQueue implements OutboundQueue {
  private readonly waiting: string[] = [];
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxInFlight: number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sender: SenderDeps,
    private readonly pacer: Pacer,
    private readonly options: PacedQueueOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 8);
  }

  async enqueue(messages: OutboundSms[]): Promise<void> {
    if (this.stopped) throw new Error('the paced queue is stopped');
    for (const m of messages) this.waiting.push(m.id);
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Messages not yet handed to the sender. */
  get size(): number {
    return this.waiting.length;
  }

  /** Resolves when every message queued so far (and any queued meanwhile) has been dealt with. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Sends nothing more; what is waiting stays recorded as queued (a later fan-out replays it). */
  stop(): void {
    this.stopped = true;
    this.waiting.length = 0;
  }

  private async loop(): Promise<void> {
    for (let id = this.waiting.shift(); id !== undefined && !this.stopped; id = this.waiting.shift()) {
      while (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
      await this.pacer.admit();
      if (this.stopped) break;
      const task: Promise<void> = this.send(id).finally(() => this.inFlight.delete(task));
      this.inFlight.add(task);
    }
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  /** One message, its turn already taken: sent, retried after a wait (and a new turn), or given up. */
  private async send(id: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) await this.pacer.admit();
      if (this.stopped) return;
      try {
        await sendQueuedSms(this.sender, id, attempt >= this.maxAttempts);
        return;
      } catch (err) {
        if (attempt >= this.maxAttempts) {
          // Not a gateway failure (those are recorded as failed on the last attempt): the table
          // unreachable, say. The message stays queued for a later fan-out to replay.
          this.options.log?.({ level: 'error', msg: 'paced send gave up', id, error: (err as Error).message });
          return;
        }
        await new Promise((r) => setTimeout(r, this.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
  }
}
