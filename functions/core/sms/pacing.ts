/**
 * Paced sending: broadcast SMS leave at the gateway's rate (SMS_SEND_RATE, messages per second),
 * locally and in AWS, by the same code. Two limits together:
 * - each sender spaces its own messages 1/rate apart, so one sender alone sends evenly instead
 *   of in a burst at the start of every second;
 * - every sender takes a place in a shared one-second window of `rate` messages (SendRate, a
 *   DynamoDB counter), so two senders at once (the sms-send Lambda runs up to two) together
 *   still keep to the rate: the one refused waits for the next second.
 */
import type { SendRate } from './ports.ts';

/**
 * Milliseconds from `now` to the next whole second (1..1000): when a full one-second window
 * has room again.
 *
 * @example msToNextSecond(new Date('2026-05-20T10:00:00.250Z')) // 750
 * @example msToNextSecond(new Date('2026-05-20T10:00:00.000Z')) // 1000
 */
export const msToNextSecond = (now: Date): number => 1000 - (((now.getTime() % 1000) + 1000) % 1000);

/** The gap between two messages of one sender at `rate` messages per second. */
export const spacingMs = (rate: number): number => 1000 / rate;

export interface PacerDeps {
  /** Messages per second (SMS_SEND_RATE); at least 1. */
  rate: number;
  sendRate: SendRate;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One sender's pace. `admit` resolves when one more message may go to the gateway; calls are
 * served one after another, in the order made.
 *
 * @example
 * const pacer = new Pacer({ rate: 20, sendRate, now: () => new Date(), sleep });
 * for (const id of ids) if (await pacer.admit()) await sendQueuedSms(sender, id);
 */
export class Pacer {
  /** The earliest time (epoch ms) this sender's next message may go. */
  private nextAt = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly gap: number;

  constructor(private readonly deps: PacerDeps) {
    if (!(deps.rate >= 1)) throw new Error(`send rate must be at least 1 message a second, got ${deps.rate}`);
    this.gap = spacingMs(deps.rate);
  }

  /**
   * Waits for this message's turn. False, at once, when the turn would come after `deadlineMs`
   * (epoch ms): the caller gives the message back (a Lambda about to time out) instead of
   * waiting past it. A place taken is used: the caller sends.
   */
  admit(deadlineMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const turn = this.tail.then(() => this.take(deadlineMs));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(deadlineMs: number): Promise<boolean> {
    for (;;) {
      const t = this.deps.now().getTime();
      if (this.nextAt > t) {
        if (this.nextAt > deadlineMs) return false;
        await this.deps.sleep(this.nextAt - t);
        continue;
      }
      const { ok, retryAfterMs } = await this.deps.sendRate.take(new Date(t));
      if (ok) {
        // After an idle spell the next message may go one gap from now, not at once: no catch-up burst.
        this.nextAt = Math.max(this.nextAt, t) + this.gap;
        return true;
      }
      // Another sender filled this second: try again when the next one begins.
      this.nextAt = t + Math.max(1, retryAfterMs);
    }
  }
}
