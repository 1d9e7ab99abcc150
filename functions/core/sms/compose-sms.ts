/**
 * Message keys → SMS text for one recipient: their language, their script (Tibetan or
 * Wylie), the sender signature, an opt-out footer where rules need one, fitted to a
 * segment budget without cutting a Tibetan syllable.
 */
import type { Language } from '../reference/schemas.ts';
import type { Script } from '../subscribers/subscriber.ts';
import { type FittedMessage, fitToBudget, type MessagePart } from './fit-to-budget.ts';
import { encodingOf } from './segments.ts';
import { smsTranslator } from './sms-text.ts';

export interface SignatureSettings {
  /** Registered sender signature, e.g. 【农牧通】 (mainland rules put it on every SMS). */
  signature: string;
  /**
   * Used instead when the body itself is GSM-7 (English, Wylie) and the signature is not:
   * one CJK bracket would turn a 160-character SMS into a 70-character one.
   */
  gsmSignature: string;
}

export interface ComposeInput {
  lang: Language;
  script: Script;
  /** Each line is a message key with its parameters; optional lines go first when over budget. */
  lines: Array<{ key: string; params?: Record<string, string | number>; optional?: boolean; shortKey?: string }>;
  footer: boolean;
  maxSegments: number;
}

/** Tibetan → Wylie, for subscribers whose phones cannot show Tibetan script. */
export type Transliterate = (tibetan: string) => string;

const TIBETAN_RUN = /[\u0F00-\u0FFF]+(?:[\s\u0F0B\u0F0D]+[\u0F00-\u0FFF]+)*/g;

/**
 * Wylie text for phones without Tibetan fonts: the Tibetan runs transliterated, and curly
 * quotes made straight and ✓ an asterisk, so that the message stays GSM-7 (one “ would make it UCS-2). A tsheg
 * right before a number or Latin (`སྒོར་5.00`, our Tibetan house style) is a space in Wylie:
 * `sgor 5.00`, not `sgor5.00`.
 */
export const wylieText = (text: string, toWylie: Transliterate) =>
  text
    .replace(TIBETAN_RUN, (run, at: number) => {
      const next = text[at + run.length];
      const spaced = /[\u0F0B\u0F0C]$/u.test(run) && next !== undefined && !/\s/u.test(next);
      return toWylie(run) + (spaced ? ' ' : '');
    })
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    // the vouched seller's mark of the exchange: GSM-7 has no ✓
    .replace(/✓/gu, '*');

export function composeSms(input: ComposeInput, settings: SignatureSettings, toWylie: Transliterate): FittedMessage {
  const t = smsTranslator(input.lang);
  const render = (text: string) => (input.script === 'wylie' ? wylieText(text, toWylie) : text);
  const parts: MessagePart[] = input.lines.map((line) => ({
    text: render(t(line.key, line.params ?? {})),
    optional: line.optional,
    ...(line.shortKey ? { shortText: render(t(line.shortKey, line.params ?? {})) } : {}),
  }));
  const footer = input.footer ? render(t('footer.optOut')) : undefined;
  const body = parts.map((p) => p.text).join(' ') + (footer ?? '');
  const signature =
    encodingOf(body) === 'GSM-7' && encodingOf(settings.signature) !== 'GSM-7'
      ? settings.gsmSignature
      : settings.signature;
  return fitToBudget(parts, { signature, footer, maxSegments: input.maxSegments });
}
