/**
 * Sign-in code jobs (core/staff/code-delivery.ts) on their way to the delivery: on the outbound
 * SMS queue in AWS, where the sms-send Lambda picks them out by their `kind`, and as a
 * background task locally. Either way the request that made the code has answered before the
 * delivery asks whether the phone is staff.
 */
import { languages } from '#core/reference/schemas.ts';
import type { SignInCodeJob } from '#core/staff/code-delivery.ts';
import type { SignInCodeQueue } from '#core/staff/ports.ts';
import * as z from '#core/zod.ts';

const int = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));

const jobSchema = z.object({
  kind: z.literal('sign-in-code'),
  phone: z.string().check(z.regex(/^\+[1-9]\d{6,14}$/)),
  sealed: z.string().check(z.minLength(1), z.maxLength(200)),
  issuedAt: int(0, 2 ** 40),
  send: int(1, 1000),
  minutes: int(1, 60),
  language: z.optional(z.enum(languages)),
});

/** The job a queue message carries, or undefined when it is not a sign-in code job (an `{"id"}` SMS, say). */
export function signInCodeJobOf(record: { body: string }): SignInCodeJob | undefined {
  try {
    const parsed = jobSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? (parsed.data as SignInCodeJob) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Locally: the delivery runs as a background task, begun after the request has answered.
 * `settled()` waits for every delivery begun so far, so GET /dev/outbox (and a test) right
 * after the 202 still sees the code.
 */
export class LocalSignInCodeQueue implements SignInCodeQueue {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly deliver: (job: SignInCodeJob) => Promise<unknown>,
    private readonly log: (entry: Record<string, unknown>) => void,
  ) {}

  async enqueue(job: SignInCodeJob): Promise<void> {
    const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.deliver(job))
      .then(
        () => undefined,
        (err: unknown) =>
          this.log({
            level: 'error',
            msg: 'sign-in code delivery failed',
            error: err instanceof Error ? err.message : String(err),
          }),
      )
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
