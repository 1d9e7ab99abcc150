/**
 * Composing SMS where they are made: the messenger with the Wylie transliterator and the
 * segmenter. Every function passes this to createDeps but the http Lambda, which passes
 * `handOverMessages` (queue/message-jobs.ts) and so carries neither (core/sms/message-jobs.ts).
 *
 * @example const deps = createDeps(settings, composeHere)
 */
import { createMessenger } from '#core/sms/messenger.ts';
import { toWylie } from '#core/text/wylie.ts';
import type { ComposingMessenger, SmsComposition } from './wiring.ts';

export const composeHere: SmsComposition<ComposingMessenger> = {
  messenger: (parts, queue) => createMessenger({ ...parts, queue, toWylie }),
  toWylie: async () => toWylie,
};
