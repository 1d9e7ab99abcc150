import { defineCommand } from './command.ts';

export type StartCommand = { intent: 'start' };

/** START: SMS again after STOP. No Tibetan keyword: the glossary has none. */
export const start = defineCommand<StartCommand>({
  intent: 'start',
  keywords: { en: ['start', 'unstop', 'resume'], zh: ['开始', '恢复', '开通'], bo: [], wylie: [] },
  read: () => ({ ok: true, command: { intent: 'start' } }),
  handler: {
    kind: 'change',
    apply: (_command, subscriber, { now }) => ({
      subscriber: { ...subscriber, optedOut: false, updatedAt: now.toISOString() },
      lines: [{ key: 'start.ok' }],
    }),
  },
  flags: { answeredAfterStop: true, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['start.ok'],
});
