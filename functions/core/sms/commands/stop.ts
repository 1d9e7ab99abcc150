import { defineCommand } from './command.ts';

export type StopCommand = { intent: 'stop' };

/**
 * STOP: no more SMS. Answered after STOP too, and carried out over the hourly limit (it only
 * takes away). UNSUB alone reads as STOP (unsub.ts).
 */
export const stop = defineCommand<StopCommand>({
  intent: 'stop',
  keywords: {
    en: ['stop', 'stopall', 'cancel all'],
    zh: ['退订', '停止'],
    bo: ['མཚམས་འཇོག', 'མཚམས་འཇོག་པ'],
    wylie: ["mtshams 'jog", "mtshams 'jog pa"],
    // Common at the start of other text: only the whole message counts.
    wholeOnly: ['td', 't', 'end', 'quit', '退'],
  },
  read: () => ({ ok: true, command: { intent: 'stop' } }),
  handler: {
    kind: 'change',
    apply: (_command, subscriber, { now }) => ({
      subscriber: { ...subscriber, optedOut: true, updatedAt: now.toISOString() },
      lines: [{ key: 'stop.ok' }],
    }),
  },
  flags: { answeredAfterStop: true, carriedOutUnanswered: true, registersNewNumber: true, confirmsOptOut: true },
  messageKeys: ['stop.ok'],
});
