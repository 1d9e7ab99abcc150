/**
 * The inbound SMS pipeline, the same for every gateway (DESIGN.md): deduplicate, find or
 * create the subscriber, rate-limit, parse, act, reply. Returns every SMS it caused.
 *
 * Rules on who gets an answer:
 * - a number that sent STOP gets answers to STOP, START and HELP only;
 * - past SMS_INBOUND_PER_HOUR a number gets one notice, then nothing;
 * - STOP and DELETE ME only take away (SMS, personal data), so they are carried out even
 *   when no answer may be sent (past the limit; DELETE ME after STOP), just unanswered.
 */
import { AppError } from '../errors.ts';
import { defaultLanguage } from '../i18n.ts';
import { toE164 } from '../phone.ts';
import type { PriceRepository } from '../prices/ports.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { SubscriberRepository } from '../subscribers/ports.ts';
import { newSubscriber, type Subscriber } from '../subscribers/subscriber.ts';
import { answerCollect, type CollectDeps } from './collect-reply.ts';
import type { Command, ParseResult } from './commands.ts';
import { INBOUND_CLAIM_STALE_MS } from './inbound-timing.ts';
import { suggestionIdsOf } from './intents/topics.ts';
import type { InboundSms, OutboundSms } from './messages.ts';
import type { SendLines } from './messenger.ts';
import { parseSms } from './parser.ts';
import type { InboundClaims, OutboundStore, RateLimiter } from './ports.ts';
import { answerPrice } from './price-reply.ts';
import { applyCommand, failureReply, type ReplyLine } from './replies.ts';

export interface InboundDeps {
  claims: InboundClaims;
  subscribers: SubscriberRepository;
  outbound: OutboundStore;
  rateLimiter: RateLimiter;
  messenger: { sendLines(input: SendLines): Promise<OutboundSms> };
  catalog: () => Promise<Catalog>;
  /** Approved prices, for PRICE; without it PRICE answers that there is no price yet. */
  prices?: Pick<PriceRepository, 'latestForCommodity'>;
  /** Staff price reports (P); without it P answers "not allowed". */
  collect?: CollectDeps;
  inboundPerHour: number;
  now: () => Date;
  log: (entry: Record<string, unknown>) => void;
}

export interface InboundResult {
  duplicate: boolean;
  replies: OutboundSms[];
}

/** The message that answers STOP (replies.ts). */
const STOP_CONFIRMATION = 'stop.ok';

/** Commands a number that sent STOP still gets answers to. */
const answeredWhenStopped = new Set<string>(['stop', 'start', 'help']);
/** Commands carried out even when they may not be answered. */
const takesAway = (intent: string) => intent === 'stop' || intent === 'delete';

/** Two messages from one number at once: the loser of a version race re-reads and re-applies. */
/** Each lost race is another message from the same phone that won: a burst of n needs n tries. */
const SAVE_ATTEMPTS = 8;

type Recipient = Pick<Subscriber, 'language' | 'script'>;

/** The subscriber a new number becomes: language and script from what it wrote. */
function freshSubscriber(phone: string, parsed: ParseResult, now: Date): Subscriber {
  const fresh = newSubscriber(phone, parsed.language ?? defaultLanguage, now);
  if (parsed.wylie) fresh.script = 'wylie';
  return fresh;
}

/**
 * Handles one inbound message, once: a redelivery of a message already handled changes
 * nothing and returns `duplicate`. A message another run is still handling (or one that
 * died less than INBOUND_CLAIM_STALE_MS ago) throws `sms_in_progress` (503, with the seconds
 * to wait): the gateway must try again later, not take silence for an answer — else a
 * redelivery shortly after a crash would be dropped for good.
 *
 * @param options.takeOver run even while the claim is `processing` (a restart finishing the
 *   claims of a process that died: see finishUnfinishedInbound).
 */
export async function handleInboundSms(
  deps: InboundDeps,
  raw: InboundSms,
  options: { takeOver?: boolean } = {},
): Promise<InboundResult> {
  const from = toE164(raw.from);
  if (!from) {
    deps.log({
      level: 'warn',
      msg: 'inbound SMS from an unusable number dropped',
      gateway: raw.gateway,
      messageId: raw.messageId,
    });
    return { duplicate: false, replies: [] };
  }
  const msg = { ...raw, from };
  const claim = await deps.claims.claim(msg, options.takeOver ? 0 : INBOUND_CLAIM_STALE_MS);
  if (!claim.claimed && claim.state === 'done') return { duplicate: true, replies: [] };
  if (!claim.claimed) throw new AppError('sms_in_progress', { seconds: Math.ceil(claim.retryAfterMs / 1000) });
  try {
    return await handleClaimed(deps, msg);
  } catch (err) {
    // Let the gateway's retry in now: every effect above is idempotent (saves of the same
    // state, replies with ids derived from this message), so a rerun cannot double them.
    // (A restart finishing a crashed run keeps the claim, and the text in it, for the next start.)
    if (!options.takeOver) await deps.claims.release(msg).catch(() => {});
    throw err;
  }
}

async function handleClaimed(deps: InboundDeps, msg: InboundSms & { from: string }): Promise<InboundResult> {
  const { from } = msg;

  const now = deps.now();
  const replies: OutboundSms[] = [];
  const reply = async (lines: ReplyLine[], recipient: Recipient, maxSegments?: number) => {
    replies.push(
      await deps.messenger.sendLines({
        to: from,
        lines,
        essential: true,
        idempotencyKey: `${msg.gateway}:${msg.messageId}:${replies.length}`,
        recipient,
        ...(maxSegments ? { maxSegments } : {}),
        // The STOP confirmation goes even past the absolute daily cap (admission.ts).
        ...(lines.some((l) => l.key === STOP_CONFIRMATION) ? { optOutConfirmation: true } : {}),
      }),
    );
  };

  // Independent reads at once: the hourly counter, the subscriber, the (cached) names.
  const [rate, stored, catalog] = await Promise.all([
    deps.rateLimiter.hit('sms-in', from, deps.inboundPerHour, 3600, now),
    deps.subscribers.get(from),
    deps.catalog(),
  ]);
  const parsed = parseSms(typeof msg.text === 'string' ? msg.text : '', catalog.matcher);
  const intent = parsed.ok ? parsed.command.intent : 'unknown';

  if (!rate.allowed) {
    if (parsed.ok && takesAway(intent) && stored) {
      await applyAndSave(deps, parsed.command, stored, catalog, now);
    } else if (rate.count === deps.inboundPerHour + 1 && !stored?.optedOut) {
      // One notice when the limit is first passed, then silence: answering a flood is the cost.
      await reply([{ key: 'rate.limited' }], stored ?? freshSubscriber(from, parsed, now));
    }
    deps.log({ level: 'info', msg: 'inbound SMS over the hourly limit', intent, count: rate.count });
    await deps.claims.complete(
      msg,
      replies.map((r) => r.id),
    );
    return { duplicate: false, replies };
  }

  let subscriber = stored;
  if (!subscriber) {
    // Registered on the first message, whatever it says (DELETE ME excepted): with the
    // command already applied, in one write, unless another message registered it first.
    const fresh = freshSubscriber(from, parsed, now);
    // (PRICE changes nothing: the number is registered, then answered below like any other.)
    const outcome =
      parsed.ok && intent !== 'delete' && intent !== 'price' && intent !== 'collect'
        ? applyCommand(parsed.command, fresh, catalog, now)
        : undefined;
    const created = intent === 'delete' ? fresh : await deps.subscribers.createIfAbsent(outcome?.subscriber ?? fresh);
    if (outcome && created === outcome.subscriber) {
      await reply(outcome.lines, created);
      await deps.claims.complete(
        msg,
        replies.map((r) => r.id),
      );
      return { duplicate: false, replies };
    }
    subscriber = created;
  }

  if (subscriber.optedOut && !answeredWhenStopped.has(intent)) {
    if (parsed.ok && intent === 'delete') await applyAndSave(deps, parsed.command, subscriber, catalog, now);
    deps.log({ level: 'info', msg: 'message from an opted-out number not answered', intent });
  } else if (parsed.ok && parsed.command.intent === 'price') {
    const answer = await answerPrice(deps.prices, parsed.command, subscriber, catalog, now);
    await reply(answer.lines, subscriber, answer.maxSegments);
  } else if (parsed.ok && parsed.command.intent === 'collect') {
    const answer = await answerCollect(
      deps.collect,
      parsed.command,
      from,
      subscriber.language,
      catalog,
      `${msg.gateway}:${msg.messageId}`,
    );
    await reply(answer.lines, subscriber, answer.maxSegments);
  } else if (parsed.ok) {
    const done = await applyAndSave(deps, parsed.command, subscriber, catalog, now);
    await reply(done.lines, done.recipient);
  } else {
    await reply(failureReply(offerFollowedTopics(parsed, subscriber), subscriber.language, catalog), subscriber);
  }
  await deps.claims.complete(
    msg,
    replies.map((r) => r.id),
  );
  return { duplicate: false, replies };
}

/** UNSUB of a topic nothing resembles: the topics the number follows are what it likely meant. */
function offerFollowedTopics(
  parsed: Extract<ParseResult, { ok: false }>,
  subscriber: Subscriber,
): Extract<ParseResult, { ok: false }> {
  if (parsed.intent !== 'unsub' || parsed.problem !== 'unknown_argument' || parsed.suggestions.length > 0)
    return parsed;
  return { ...parsed, suggestions: suggestionIdsOf(subscriber.topics).slice(0, 3) };
}

/** Equal but for the time of the last change: nothing to save (SUB of a topic already followed, HELP). */
const sameState = (a: Subscriber, b: Subscriber) => {
  const { updatedAt: _a, ...restA } = a;
  const { updatedAt: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
};

/**
 * Runs a command on the stored subscriber and saves the result (optimistic: on a version
 * conflict it re-reads and runs again). Returns the reply lines and whom they go to: the
 * subscriber as saved, so LANG and SCRIPT are answered in the new language and script, or as
 * they were before DELETE ME.
 */
async function applyAndSave(
  deps: InboundDeps,
  command: Command,
  subscriber: Subscriber,
  catalog: Catalog,
  now: Date,
): Promise<{ lines: ReplyLine[]; recipient: Subscriber }> {
  let current = subscriber;
  for (let attempt = 1; ; attempt++) {
    const outcome = applyCommand(command, current, catalog, now);
    if (!outcome.subscriber) {
      await eraseSubscriber(deps, current.phone);
      return { lines: outcome.lines, recipient: current };
    }
    if (sameState(outcome.subscriber, current)) return { lines: outcome.lines, recipient: current };
    try {
      return { lines: outcome.lines, recipient: await deps.subscribers.save(outcome.subscriber) };
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict') || attempt >= SAVE_ATTEMPTS) throw err;
      // A little jitter so that the racers do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      const reread = await deps.subscribers.get(current.phone);
      current =
        reread ??
        (await deps.subscribers.createIfAbsent({
          ...newSubscriber(current.phone, current.language, now),
          script: current.script,
        }));
    }
  }
}

/**
 * DELETE ME: the subscriber record and the SMS we sent them. Inbound claims keep the number
 * for their 30-day TTL only, to stop redelivered messages re-creating the account.
 */
async function eraseSubscriber(deps: InboundDeps, phone: string): Promise<void> {
  await deps.subscribers.delete(phone);
  await deps.outbound.eraseTo(phone);
}
