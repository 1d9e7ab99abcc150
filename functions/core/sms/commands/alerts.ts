import { defineCommand } from './command.ts';

export type AlertsCommand = { intent: 'alerts' };

/**
 * ALERTS: the current alerts (weather, pest, disease, market) for the sender's home region,
 * severest first, in up to two SMS; none, or "JOIN your county first". The glossary's
 * kw_alert (`SUB WEATHER` is how alerts come unasked: the broadcasts).
 */
export const alerts = defineCommand<AlertsCommand>({
  intent: 'alerts',
  keywords: {
    en: ['alerts', 'alert', 'warning', 'warnings'],
    zh: ['预警', '警报', '警告', '灾害预警'],
    bo: ['ཉེན་བརྡ'],
    wylie: ['nyen brda'],
  },
  read: () => ({ ok: true, command: { intent: 'alerts' } }),
  handler: {
    kind: 'answer',
    answer: async (_command, { services, subscriber, now }) => {
      if (!services.knowledge) return { lines: [{ key: 'alerts.none' }] };
      return { lines: await services.knowledge.currentAlertLines(subscriber, now), maxSegments: 2 };
    },
  },
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['alerts.none', 'alerts.noHome', 'alerts.item', 'alerts.more'],
});
