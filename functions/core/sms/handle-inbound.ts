/**
 * The inbound SMS pipeline, the same for every gateway (DESIGN.md): deduplicate, find or
 * create the subscriber, rate-limit, parse, act, reply. Returns every SMS it caused.
 */
import type { Catalog } from '../reference/catalog.ts';
import type { InboundClaims, OutboundStore, RateLimiter, SubscriberRepository } from '../ports.ts';
import { toE164 } from '../phone.ts';
import { newSubscriber, type Subscriber } from '../subscribers/subscriber.ts';
import type { InboundSms, OutboundSms } from './messages.ts';
import type { SendLines } from './messenger.ts';
import { parseSms } from './parser.ts';
import { applyCommand, failureReply, type ReplyLine } from './replies.ts';

export interface InboundDeps {
  claims: InboundClaims;
  subscribers: SubscriberRepository;
  outbound: OutboundStore;
  rateLimiter: RateLimiter;
  messenger: { sendLines(input: SendLines): Promise<OutboundSms> };
  catalog: () => Promise<Catalog>;
  inboundPerHour: number;
  now: () => Date;
  log: (entry: Record<string, unknown>) => void;
}

export interface InboundResult {
  duplicate: boolean;
  replies: OutboundSms[];
}

/** A claim still `processing` after this long belongs to a run that died: take it over. */
const STALE_CLAIM_MS = 60_000;

/** Commands a number that sent STOP still gets answers to. */
const allowedWhenStopped = new Set(['stop', 'start', 'help']);

export async function handleInboundSms(deps: InboundDeps, raw: InboundSms): Promise<InboundResult> {
  const from = toE164(raw.from);
  if (!from) {
    deps.log({ level: 'warn', msg: 'inbound SMS from an unusable number dropped', gateway: raw.gateway, messageId: raw.messageId });
    return { duplicate: false, replies: [] };
  }
  const msg = { ...raw, from };
  if (!(await deps.claims.claim(msg, STALE_CLAIM_MS))) return { duplicate: true, replies: [] };

  const now = deps.now();
  const replies: OutboundSms[] = [];
  const reply = async (lines: ReplyLine[], recipient?: Pick<Subscriber, 'language' | 'script'>) => {
    replies.push(
      await deps.messenger.sendLines({
        to: from,
        lines,
        essential: true,
        idempotencyKey: `${msg.gateway}:${msg.messageId}:${replies.length}`,
        recipient,
      }),
    );
  };

  const rate = await deps.rateLimiter.hit('sms-in', from, deps.inboundPerHour, 3600, now);
  if (!rate.allowed) {
    // One notice when the limit is first passed, then silence: answering a flood is the cost.
    if (rate.count === deps.inboundPerHour + 1) await reply([{ key: 'rate.limited' }]);
    await deps.claims.complete(msg, replies.map((r) => r.id));
    return { duplicate: false, replies };
  }

  const catalog = await deps.catalog();
  const parsed = parseSms(msg.text, catalog.matcher);
  let subscriber = await deps.subscribers.get(from);
  if (!subscriber) {
    const fresh = newSubscriber(from, parsed.language ?? 'bo', now);
    if (parsed.wylie) fresh.script = 'wylie';
    subscriber = parsed.ok && parsed.command.intent === 'delete' ? fresh : await deps.subscribers.createIfAbsent(fresh);
  }

  const intent = parsed.ok ? parsed.command.intent : 'unknown';
  if (subscriber.optedOut && !allowedWhenStopped.has(intent)) {
    deps.log({ level: 'info', msg: 'message from an opted-out number not answered', intent });
  } else if (parsed.ok) {
    const outcome = applyCommand(parsed.command, subscriber, catalog, now);
    if (!outcome.subscriber) {
      await eraseSubscriber(deps, from);
      await reply(outcome.lines, subscriber);
    } else {
      if (outcome.subscriber !== subscriber) await deps.subscribers.save(outcome.subscriber);
      await reply(outcome.lines);
    }
  } else {
    await reply(failureReply(parsed, subscriber.language, catalog));
  }
  await deps.claims.complete(msg, replies.map((r) => r.id));
  return { duplicate: false, replies };
}

/**
 * DELETE ME: the subscriber record and the SMS we sent them. Inbound claims keep the number
 * for their 30-day TTL only, to stop redelivered messages re-creating the account.
 */
async function eraseSubscriber(deps: InboundDeps, phone: string): Promise<void> {
  await deps.subscribers.delete(phone);
  await deps.outbound.eraseTo(phone);
}
