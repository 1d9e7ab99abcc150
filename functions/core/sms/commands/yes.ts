import { normaliseCode } from '../../exchange/codes.ts';
import { defineCommand, type ReadInput, type ReadOutcome } from './command.ts';
import { commonKeys, withExchange } from './exchange-words.ts';

export type ConfirmCommand<A extends 'yes' | 'no'> = { intent: A; code?: string };

/**
 * YES / NO [code]. Their words (是, 好, 不, ok, red, མེད…) begin all sorts of other messages, so
 * they are this command only alone or before a code: "好的", "no thanks", "yes barley" stay
 * unknown (the short help), as they were before the exchange.
 */
export function readConfirm<A extends 'yes' | 'no'>(answer: A, { rest }: ReadInput): ReadOutcome<ConfirmCommand<A>> {
  if (rest.length === 0) return { ok: true, command: { intent: answer } };
  const code = rest.length <= 2 ? normaliseCode(rest.join(' ')) : undefined;
  if (!code) return { ok: false, intent: 'unknown', problem: 'unknown_command' };
  return { ok: true, command: { intent: answer, code } };
}

export const confirmKeys = [
  'exchange.confirm.yes',
  'exchange.confirm.no',
  'exchange.confirm.none',
  'exchange.confirm.expired',
  'exchange.posted',
  'exchange.held',
  ...commonKeys,
];

/** YES [code]: the farmer confirms an offer a village operator posted for them. */
export const yes = defineCommand<ConfirmCommand<'yes'>>({
  intent: 'yes',
  keywords: {
    // (not OK: "ok" alone answers all sorts of SMS, and must stay no command)
    en: ['yes', 'confirm', 'y'],
    zh: ['是', '对', '好', '确认'],
    bo: ['ཡིན', 'ལགས་སོ', 'རེད', 'ལགས', 'འགྲིག'],
    wylie: ['yin', 'lags so', 'red', 'lags', "'grig"],
  },
  read: (input) => readConfirm('yes', input),
  handler: {
    kind: 'answer',
    answer: (command, context) =>
      withExchange(context, (exchange, sender) => exchange.confirm(sender, 'yes', command.code)),
  },
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: confirmKeys,
});
