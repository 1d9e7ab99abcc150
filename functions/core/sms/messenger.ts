import type { Language } from '../reference/schemas.ts';
import type { SubscriberRepository } from '../subscribers/ports.ts';
import type { Script } from '../subscribers/subscriber.ts';
import { type AdmissionDeps, admit } from './admission.ts';
import { composeSms, type SignatureSettings, type Transliterate } from './compose-sms.ts';
import { outboundIdFor } from './message-jobs.ts';
import type { DeliveryStatus, OutboundSms } from './messages.ts';
import type { Messenger, OutboundQueue, OutboundStore } from './ports.ts';

export interface MessengerDeps {
  subscribers: SubscriberRepository;
  outbound: OutboundStore;
  queue: OutboundQueue;
  signature: SignatureSettings;
  toWylie: Transliterate;
  now: () => Date;
  /**
   * The guards (country, daily caps), applied as each message is recorded, so that the
   * caller learns at once whether it was blocked (admission.ts). Without them the sender
   * applies them later, and a blocked message is reported to the caller as queued.
   */
  admission?: AdmissionDeps;
  /**
   * How Tibetan readers are written to where the gateway takes no Tibetan script (a template
   * registry's `tibetanScript`, core/sms/templates.ts): `wylie` writes their SMS in Wylie,
   * `chinese` in Chinese. Unset: in their own language and script.
   */
  tibetanAs?: 'wylie' | 'chinese';
}

/** A message as handed back: `blocked` when a guard stopped it (never queued), else as stored (`queued` when new). */
export type HandedOver = OutboundSms & { status: DeliveryStatus };

type Lines = Parameters<typeof composeSms>[0]['lines'];

export interface SendLines {
  to: string;
  /** The lines, or a function of the recipient's language (names and units differ by language). */
  lines: Lines | ((lang: Language) => Lines);
  essential: boolean;
  idempotencyKey: string;
  /** Opt-out footer: for alerts and broadcasts, not for direct replies. */
  footer?: boolean;
  /** At most this many SMS parts (default 2), or per recipient language. */
  maxSegments?: number | Partial<Record<Language, number>>;
  /** Language to write in instead of the subscriber's; the script stays theirs (the voice line). */
  language?: Language;
  /** Language and script to use instead of the stored subscriber's (e.g. after DELETE ME). */
  recipient?: { language: Language; script: Script };
  /** A STOP confirmation: it goes even past the absolute daily cap. */
  optOutConfirmation?: boolean;
}

/**
 * Records then queues (never the other way round: the queue only carries ids of messages
 * that exist). A repeat with the same idempotency key returns the first message unsent.
 *
 * Opt-out: a number that sent STOP gets no non-essential SMS (alerts, broadcasts) from any
 * caller; such a message is recorded as `blocked` and never queued. Essential ones (the STOP
 * confirmation, replies to HELP and START, sign-in codes the person asked for) still go;
 * the inbound pipeline decides which replies a stopped number gets.
 */
export function createMessenger(deps: MessengerDeps): {
  send(input: Parameters<Messenger['send']>[0]): Promise<HandedOver>;
  sendLines(input: SendLines): Promise<HandedOver>;
} {
  /** Queues a recorded message unless a guard stops it (admitting it once: see admission.ts). */
  const admitAndQueue = async (msg: OutboundSms): Promise<HandedOver> => {
    if (deps.admission && !msg.admittedOn && (await admit(deps.admission, msg)) === 'blocked')
      return { ...msg, status: 'blocked' };
    await deps.queue.enqueue([msg]);
    return { ...msg, status: 'queued' };
  };
  const sendLines = async (input: SendLines): Promise<HandedOver> => {
    const stored = input.recipient && input.essential ? undefined : await deps.subscribers.get(input.to);
    const subscriber = input.recipient ?? stored;
    const chosen = input.language ?? subscriber?.language ?? 'bo';
    const lang = chosen === 'bo' && deps.tibetanAs === 'chinese' ? 'zh' : chosen;
    const script = chosen === 'bo' && deps.tibetanAs === 'wylie' ? 'wylie' : (subscriber?.script ?? 'tibetan');
    const lines = typeof input.lines === 'function' ? input.lines(lang) : input.lines;
    const maxSegments = typeof input.maxSegments === 'object' ? input.maxSegments[lang] : input.maxSegments;
    const fitted = composeSms(
      {
        lang,
        script,
        lines,
        footer: input.footer ?? false,
        maxSegments: maxSegments ?? 2,
      },
      deps.signature,
      deps.toWylie,
    );
    const first = lines[0];
    const msg: OutboundSms = {
      id: outboundIdFor(input.idempotencyKey),
      to: input.to,
      text: fitted.text,
      encoding: fitted.encoding,
      segments: fitted.segments,
      key: first?.key ?? '',
      params: first?.params ?? {},
      // Every line, for template-only gateways (core/sms/templates.ts maps the reply to one template).
      lines: lines.map((line) => ({ key: line.key, params: line.params ?? {} })),
      essential: input.essential,
      ...(input.optOutConfirmation ? { optOutConfirmation: true } : {}),
      createdAt: deps.now().toISOString(),
    };
    if (!(await deps.outbound.record(msg))) {
      // A retry of the same cause. If the first try recorded the message but failed to queue
      // it, queue it now (the sender's lease and status check make a double queue harmless).
      const existing = await deps.outbound.get(msg.id);
      if (existing?.status === 'queued') return admitAndQueue(existing);
      return existing ?? { ...msg, status: 'queued' };
    }
    if (!input.essential && stored?.optedOut) {
      await deps.outbound.markStatus(msg.id, 'blocked', { error: 'the number sent STOP' });
      return { ...msg, status: 'blocked' };
    }
    return admitAndQueue(msg);
  };
  return {
    sendLines,
    send: ({ to, key, params, essential, idempotencyKey, maxSegments, more, language }) =>
      sendLines({
        to,
        lines: (lang) => [
          { key, params: typeof params === 'function' ? params(lang) : params },
          ...(more ? more(lang) : []),
        ],
        essential,
        idempotencyKey,
        ...(maxSegments !== undefined ? { maxSegments } : {}),
        ...(language ? { language } : {}),
      }),
  };
}
