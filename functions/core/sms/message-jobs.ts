/**
 * A message handed over to be composed elsewhere. The http Lambda composes no SMS: composing
 * takes the Wylie transliterator, the segmenter and the Tibetan joiner (~35 KB) that its request
 * path otherwise never needs, and its bundle has a 400 KB budget. So there `Messenger.send`
 * puts a job on the outbound SMS queue, and the sms-send Lambda composes, records and sends it
 * — in the recipient's language and script, with the same idempotency key, exactly as the
 * messenger would have where the request ran (locally it still does: see adapters/wiring.ts).
 *
 * Names that differ by language are made here, for every language, before the job leaves: the
 * receiver picks the recipient's.
 */
import { createHash } from 'node:crypto';
import { type Language, languages } from '../reference/schemas.ts';
import * as z from '../zod.ts';
import type { MessageJob, Messenger, MoreLine } from './ports.ts';

export type { MessageJob };

export type MessageRequest = Parameters<Messenger['send']>[0];
type Params = Record<string, string | number>;

/** A stable message id from the caller's idempotency key: the same cause, the same SMS. */
export const outboundIdFor = (idempotencyKey: string) =>
  createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 22);

/** The job for a request (its per-language parameters made now). */
export function messageJob(request: MessageRequest): MessageJob {
  const paramsIn = (lang: Language): Params =>
    typeof request.params === 'function' ? request.params(lang) : (request.params ?? {});
  return {
    kind: 'message',
    to: request.to,
    key: request.key,
    params: Object.fromEntries(languages.map((l) => [l, paramsIn(l)])) as Record<Language, Params>,
    essential: request.essential,
    idempotencyKey: request.idempotencyKey,
    ...(request.maxSegments !== undefined ? { maxSegments: request.maxSegments } : {}),
    ...(request.more
      ? { more: Object.fromEntries(languages.map((l) => [l, request.more!(l)])) as Record<Language, MoreLine[]> }
      : {}),
    ...(request.language ? { language: request.language } : {}),
  };
}

/** The request a job stands for, as `Messenger.send` takes it. */
export function messageRequest(job: MessageJob): MessageRequest {
  return {
    to: job.to,
    key: job.key,
    params: (lang) => job.params[lang],
    essential: job.essential,
    idempotencyKey: job.idempotencyKey,
    ...(job.maxSegments !== undefined ? { maxSegments: job.maxSegments } : {}),
    ...(job.more ? { more: (lang: Language) => job.more![lang] } : {}),
    ...(job.language ? { language: job.language } : {}),
  };
}

const params = z.record(z.string(), z.union([z.string().check(z.maxLength(2000)), z.number()]));
const line = z.object({
  key: z.string().check(z.regex(/^[a-z][\w.]{0,99}$/i)),
  params: z.optional(params),
  optional: z.optional(z.boolean()),
  shortKey: z.optional(z.string().check(z.regex(/^[a-z][\w.]{0,99}$/i))),
});
const lines = z.array(line).check(z.maxLength(20));
const segments = z.number().check(z.int(), z.minimum(1), z.maximum(10));
const jobSchema = z.object({
  kind: z.literal('message'),
  to: z.string().check(z.regex(/^\+[1-9]\d{6,14}$/)),
  key: z.string().check(z.regex(/^[a-z][\w.]{0,99}$/i)),
  params: z.object({ bo: params, zh: params, en: params }),
  essential: z.boolean(),
  idempotencyKey: z.string().check(z.minLength(1), z.maxLength(500)),
  maxSegments: z.optional(z.union([segments, z.partialRecord(z.enum(languages), segments)])),
  more: z.optional(z.object({ bo: lines, zh: lines, en: lines })),
  language: z.optional(z.enum(languages)),
});

/** The job a queue message carries, or undefined when it is none (an `{"id"}` SMS, a sign-in code job). */
export function messageJobOf(record: { body: string }): MessageJob | undefined {
  try {
    const parsed = jobSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? (parsed.data as MessageJob) : undefined;
  } catch {
    return undefined;
  }
}
