/**
 * The inbound SMS pipeline, the same for every gateway (docs/sms.md, "The pipeline, in order"):
 * deduplicate, find or create the subscriber, rate-limit, parse, act, reply. Returns every SMS
 * it caused.
 *
 * What it does with a command it asks the command (commands/, through the registry). Rules
 * on who gets an answer, by the commands' flags:
 * - a number that sent STOP gets answers only to commands `answeredAfterStop` (STOP, START, HELP);
 * - past SMS_INBOUND_PER_HOUR a number gets one notice, then nothing;
 * - commands that only take away (SMS, personal data: STOP, DELETE ME) are
 *   `carriedOutUnanswered`: carried out even when no answer may be sent (past the limit;
 *   DELETE ME after STOP), just unanswered.
 */

import { AppError } from '../errors.ts';
import { defaultLanguage } from '../i18n.ts';
import { maskPhone, toE164 } from '../phone.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { SubscriberRepository } from '../subscribers/ports.ts';
import { newSubscriber, type Subscriber } from '../subscribers/subscriber.ts';
import type { Answer, AnswerContext, CommandServices, CommandShape, SmsCommand } from './commands/command.ts';
import { type CommandRegistry, type ParseResult, smsCommands } from './commands/index.ts';
import { failureReply } from './failure-reply.ts';
import { INBOUND_CLAIM_STALE_MS } from './inbound-timing.ts';
import type { InboundSms, OutboundSms, ReplyLine } from './messages.ts';
import type { SendLines } from './messenger.ts';
import { parseSms } from './parser.ts';
import type { InboundClaims, OutboundStore, RateLimiter } from './ports.ts';

/** The ports of the pipeline, and those its commands use (prices for PRICE, staff use-cases for P). */
export interface InboundDeps extends CommandServices {
  claims: InboundClaims;
  subscribers: SubscriberRepository;
  outbound: OutboundStore;
  rateLimiter: RateLimiter;
  messenger: { sendLines(input: SendLines): Promise<OutboundSms> };
  catalog: () => Promise<Catalog>;
  /** The commands understood; by default every SMS command (commands/index.ts). */
  commands?: CommandRegistry;
  inboundPerHour: number;
  now: () => Date;
  log: (entry: Record<string, unknown>) => void;
  /**
   * The messenger's `tibetanAs` (a template gateway that takes no Tibetan script): with
   * `chinese`, a Tibetan reader's reply lines are made as for a Chinese reader, so that the
   * names in them (a county, a product) are Chinese too. Their stored language stays Tibetan.
   */
  tibetanAs?: 'wylie' | 'chinese';
}

/** Whom a reply's lines are made for: a Tibetan reader as a Chinese one where the deployment writes them Chinese. */
function writtenAs<S extends Recipient>(deps: Pick<InboundDeps, 'tibetanAs'>, subscriber: S): S {
  return deps.tibetanAs === 'chinese' && subscriber.language === 'bo' ? { ...subscriber, language: 'zh' } : subscriber;
}

export interface InboundResult {
  duplicate: boolean;
  replies: OutboundSms[];
}

/**
 * Two messages from one number at once: the loser of a version race re-reads and re-applies.
 * Each lost race is another message from the same phone that won: a burst of n needs n tries.
 */
const SAVE_ATTEMPTS = 8;

type Recipient = Pick<Subscriber, 'language' | 'script'>;
type Parsed = ParseResult<CommandShape>;

/** The subscriber a new number becomes: language and script from what it wrote. */
function freshSubscriber(phone: string, parsed: Parsed, now: Date): Subscriber {
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
/** The log line of a handled inbound SMS, the same from every gateway's entry (the number masked). */
export const handledLogEntry = (
  sms: InboundSms,
  result: { duplicate?: boolean; replies: ReadonlyArray<{ id: string }> },
) => ({
  level: 'info',
  msg: result.duplicate ? 'inbound SMS was a redelivery' : 'inbound SMS handled',
  gateway: sms.gateway,
  messageId: sms.messageId,
  from: maskPhone(sms.from),
  replies: result.replies.map((r) => r.id),
});

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
  const reply = async (
    lines: ReplyLine[],
    recipient: Recipient,
    { maxSegments, optOutConfirmation }: { maxSegments?: number | undefined; optOutConfirmation?: boolean } = {},
  ) => {
    replies.push(
      await deps.messenger.sendLines({
        to: from,
        lines,
        essential: true,
        idempotencyKey: `${msg.gateway}:${msg.messageId}:${replies.length}`,
        recipient,
        ...(maxSegments ? { maxSegments } : {}),
        // A STOP confirmation goes even past the absolute daily cap (admission.ts).
        ...(optOutConfirmation ? { optOutConfirmation: true } : {}),
      }),
    );
  };

  // Independent reads at once: the hourly counter, the subscriber, the (cached) names.
  const [rate, stored, catalog] = await Promise.all([
    deps.rateLimiter.hit('sms-in', from, deps.inboundPerHour, 3600, now),
    deps.subscribers.get(from),
    deps.catalog(),
  ]);
  const registry = deps.commands ?? smsCommands;
  const parsed: Parsed = parseSms(typeof msg.text === 'string' ? msg.text : '', catalog.matcher, registry);
  const intent = parsed.ok ? parsed.command.intent : 'unknown';
  // The command to carry out (undefined when the message could not be read).
  const run = parsed.ok ? { command: parsed.command, definition: commandOf(registry, parsed.command) } : undefined;
  const flags = run?.definition.flags;
  const about: AboutMessage = { from, messageId: `${msg.gateway}:${msg.messageId}`, services: deps };

  if (!rate.allowed) {
    if (run && flags?.carriedOutUnanswered && stored) {
      await carryOut(deps, run, stored, catalog, now, about);
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
    // Registered on the first message, whatever it says (unless the command says otherwise:
    // DELETE ME). A command that changes the subscriber is applied in the same write, unless
    // another message registered the number first; one that answers (PRICE) is answered below
    // like any other, once the number is registered.
    const fresh = freshSubscriber(from, parsed, now);
    const registers = flags?.registersNewNumber ?? true;
    const handler = run?.definition.handler;
    const outcome =
      run && registers && handler?.kind === 'change' ? handler.apply(run.command, fresh, { catalog, now }) : undefined;
    const created = registers ? await deps.subscribers.createIfAbsent(outcome?.subscriber ?? fresh) : fresh;
    if (outcome && created === outcome.subscriber) {
      // Made again for whom the reader is written as (writtenAs); the state stays the one created.
      const as = writtenAs(deps, fresh);
      const lines =
        as !== fresh && run && handler?.kind === 'change'
          ? handler.apply(run.command, as, { catalog, now }).lines
          : outcome.lines;
      await reply(lines, created, { optOutConfirmation: flags?.confirmsOptOut });
      await deps.claims.complete(
        msg,
        replies.map((r) => r.id),
      );
      return { duplicate: false, replies };
    }
    subscriber = created;
  }

  if (subscriber.optedOut && !flags?.answeredAfterStop) {
    if (run && flags?.carriedOutUnanswered) await carryOut(deps, run, subscriber, catalog, now, about);
    deps.log({ level: 'info', msg: 'message from an opted-out number not answered', intent });
  } else if (run) {
    const done = await carryOut(deps, run, subscriber, catalog, now, about);
    await reply(done.lines, done.recipient, {
      maxSegments: done.maxSegments,
      optOutConfirmation: flags?.confirmsOptOut,
    });
  } else if (!parsed.ok) {
    await reply(failureReply(parsed, writtenAs(deps, subscriber), catalog, registry), subscriber);
  }
  await deps.claims.complete(
    msg,
    replies.map((r) => r.id),
  );
  return { duplicate: false, replies };
}

/** The registry's command for a parsed command (the parser only makes commands of the registry). */
function commandOf(registry: CommandRegistry, command: CommandShape): SmsCommand {
  const definition = registry.get(command.intent);
  if (!definition) throw new Error(`no SMS command handles the intent ${command.intent}`);
  return definition;
}

interface Run {
  command: CommandShape;
  definition: SmsCommand;
}

/** What an answering command is told about the message besides the subscriber, the catalog and the time. */
type AboutMessage = Omit<AnswerContext, 'subscriber' | 'catalog' | 'now'>;

/**
 * Runs a command for a subscriber: a change is saved (applyAndSave), an answer is read. Returns
 * the reply lines, whom they go to and their segment budget (a change's is the messenger's).
 */
async function carryOut(
  deps: InboundDeps,
  { command, definition }: Run,
  subscriber: Subscriber,
  catalog: Catalog,
  now: Date,
  about: AboutMessage,
): Promise<{ lines: Answer['lines']; recipient: Subscriber; maxSegments?: number }> {
  const handler = definition.handler;
  if (handler.kind === 'change') {
    const done = await applyAndSave(deps, handler, command, subscriber, catalog, now);
    // The state is the stored subscriber's; the lines, where the reader is written to in another
    // language, that language's (a change handler is pure: run again on the view, nothing saved).
    const as = writtenAs(deps, done.before);
    return as === done.before ? done : { ...done, lines: handler.apply(command, as, { catalog, now }).lines };
  }
  const answer = await handler.answer(command, { ...about, subscriber: writtenAs(deps, subscriber), catalog, now });
  return {
    lines: answer.lines,
    recipient: subscriber,
    ...(answer.maxSegments ? { maxSegments: answer.maxSegments } : {}),
  };
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
  handler: Extract<SmsCommand['handler'], { kind: 'change' }>,
  command: CommandShape,
  subscriber: Subscriber,
  catalog: Catalog,
  now: Date,
): Promise<{ lines: ReplyLine[]; recipient: Subscriber; before: Subscriber }> {
  let current = subscriber;
  for (let attempt = 1; ; attempt++) {
    const outcome = handler.apply(command, current, { catalog, now });
    if (!outcome.subscriber) {
      await eraseSubscriber(deps, current.phone);
      return { lines: outcome.lines, recipient: current, before: current };
    }
    if (sameState(outcome.subscriber, current)) return { lines: outcome.lines, recipient: current, before: current };
    try {
      return {
        lines: outcome.lines,
        recipient: await deps.subscribers.save(outcome.subscriber),
        before: current,
      };
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
 * DELETE ME: the subscriber record, the SMS we sent them, what the exchange keeps of the
 * number (its offers, conversations, reports), its questions to the experts and its calls to the voice line. Inbound claims keep the number for their 30-day
 * TTL only, to stop redelivered messages re-creating the account.
 */
async function eraseSubscriber(deps: InboundDeps, phone: string): Promise<void> {
  await deps.exchange?.erase(phone);
  await deps.questions?.eraseNumber?.(phone);
  await deps.voice?.eraseNumber(phone);
  await deps.subscribers.delete(phone);
  await deps.outbound.eraseTo(phone);
}
