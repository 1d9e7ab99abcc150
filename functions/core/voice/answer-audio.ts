/**
 * An expert's spoken answer to a question (the caller hears it on their next call, "you have an
 * answer: press 1"): checked to be the format the line plays, kept in the files bucket under
 * `voice/answers/<code>/<n>.wav`, then handed to the question service, which authorizes
 * (`advice.answer` where the question stands), records it on the thread and audit-logs it.
 */
import type { QuestionService } from '../knowledge/service.ts';
import { type Acting, type GuardDeps, guard } from '../staff/guard.ts';
import type { VoiceAudio } from './ports.ts';
import type { VoiceSettings } from './settings.ts';
import { checkedWav } from './studio.ts';

export interface AnswerAudioDeps extends GuardDeps {
  questions: Pick<QuestionService, 'answerAudio'>;
  audio: Pick<VoiceAudio, 'put' | 'delete'>;
  settings: Pick<VoiceSettings, 'recordSeconds'>;
}

export interface AnswerAudio {
  upload(acting: Acting, code: string, bytes: Uint8Array): Promise<{ key: string; durationMs: number }>;
}

export function createAnswerAudio(deps: AnswerAudioDeps): AnswerAudio {
  return {
    async upload(acting, code, bytes) {
      // Nobody without the role writes to the bucket, even for a moment.
      await guard(deps, acting, 'advice.answer');
      // As long as a caller's question may be: an answer is heard on the same line.
      const { durationMs } = checkedWav(bytes, deps.settings.recordSeconds);
      // The time makes the name: a second answer never replaces the first one's audio.
      const key = `voice/answers/${code}/${deps.now().getTime()}.wav`;
      await deps.audio.put(key, bytes, 'audio/wav');
      try {
        await deps.questions.answerAudio(acting, code, key);
      } catch (err) {
        await deps.audio.delete(key).catch(() => undefined);
        throw err;
      }
      return { key, durationMs };
    },
  };
}
