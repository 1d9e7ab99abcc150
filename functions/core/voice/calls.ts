/**
 * The staff dashboard's call records (`voice.calls`: operators and admins): one Asia/Shanghai
 * day at a time, newest first. The records carry the caller's number; the page masks it, as
 * the questions' pages do, and DELETE ME erases it from the store.
 */
import { isCalendarDate } from '../dates.ts';
import { AppError } from '../errors.ts';
import { type GuardDeps, guard } from '../staff/guard.ts';
import type { CallStore } from './ports.ts';
import type { VoiceCalls } from './service.ts';

export interface VoiceCallsDeps extends GuardDeps {
  calls: Pick<CallStore, 'byDay'>;
}

const PAGE_DEFAULT = 50;
const PAGE_MAX = 100;

export function createVoiceCalls(deps: VoiceCallsDeps): VoiceCalls {
  return {
    async byDay(acting, query) {
      await guard(deps, acting, 'voice.calls');
      if (!isCalendarDate(query.day))
        throw new AppError('validation_failed', {}, [
          { path: 'day', message: 'a date, YYYY-MM-DD', key: 'errors:voice.calls.day' },
        ]);
      const limit = Math.min(Math.max(query.limit ?? PAGE_DEFAULT, 1), PAGE_MAX);
      return deps.calls.byDay(query.day, { limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
    },
  };
}
