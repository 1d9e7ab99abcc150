import { defineCommand } from './command.ts';

export type DeleteCommand = { intent: 'delete' };

/**
 * DELETE ME: erases the subscriber and the SMS sent to them (the pipeline's erase). It cannot
 * be undone, so every way of saying it counts only as the whole message, and "delete me
 * please" gets a "did you mean". It only takes away: carried out over the hourly limit and
 * after STOP (unanswered), and a number we do not know is not registered by it. Its questions
 * to the experts go too (questions.eraseNumber, through the pipeline). The glossary
 * has no Tibetan word for it.
 */
export const deleteMe = defineCommand<DeleteCommand>({
  intent: 'delete',
  keywords: {
    en: [],
    zh: [],
    bo: [],
    wylie: [],
    wholeOnly: ['delete me', 'delete-me', 'delete my data', 'forget me', '删除我', '删除我的信息', '注销'],
    suggestWholeOnly: true,
  },
  read: () => ({ ok: true, command: { intent: 'delete' } }),
  handler: { kind: 'change', apply: () => ({ subscriber: undefined, lines: [{ key: 'delete.ok' }] }) },
  flags: { answeredAfterStop: false, carriedOutUnanswered: true, registersNewNumber: false },
  messageKeys: ['delete.ok'],
});
