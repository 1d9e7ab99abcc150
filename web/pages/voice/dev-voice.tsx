/**
 * /dev/voice (local only): "call" the voice line as a number, press keys as buttons, and see and
 * hear each turn — every clip as an `<audio>` with its text beside it (placeholders marked) and
 * the TwiML the webhook answers for the same turn. Each key is a form post: no JavaScript
 * needed; dev-voice.js only adds a button that plays a turn's clips one after another.
 */
import type { PlayClip, Step } from '#core/voice/call.ts';
import { Layout, type PageContext } from '../../components/layout.tsx';
import { CsrfInput } from '../sign-in.tsx';

export interface DevTurn {
  seq: number;
  /** What was sent: `start`, `digits 1`, `silence`, `hangup`, `recorded 5 s`. */
  input: string;
  steps: Step[];
  twiml: string;
}

export interface DevVoiceView {
  csrf: string;
  number: string;
  badNumber: boolean;
  /** The call on the page, with its turns, newest first. */
  call?: { id: string; seq: number; ended: boolean; turns: DevTurn[] } | undefined;
  recordSeconds: number;
  /** The voice line is wired in this run. */
  available: boolean;
}

export const devClipUrl = (clip: Pick<PlayClip, 'lang' | 'id'>) =>
  `/dev/voice/clips/${clip.lang}/${encodeURIComponent(clip.id)}.wav`;

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '#', '0'] as const;

function Clips(props: { ctx: PageContext; clips: PlayClip[] }) {
  const { t } = props.ctx;
  return (
    <ol class="voice-clip-list">
      {props.clips.map((clip) => (
        <li>
          {/* biome-ignore lint/a11y/useMediaCaption: the clip's text is printed beside it */}
          <audio controls preload="none" src={devClipUrl(clip)} data-clip /> <code>{clip.id}</code>{' '}
          <span lang={clip.lang}>{clip.text}</span>{' '}
          {clip.placeholder ? <strong class="badge voice-placeholder">{t('web:voice.dev.placeholder')}</strong> : null}
        </li>
      ))}
    </ol>
  );
}

function StepView(props: { ctx: PageContext; step: Step }) {
  const { ctx, step } = props;
  const { t } = ctx;
  switch (step.kind) {
    case 'play':
      return <Clips ctx={ctx} clips={step.clips} />;
    case 'gather':
      return (
        <>
          <Clips ctx={ctx} clips={step.prompt} />
          <p class="muted">{t('web:voice.dev.gather', { digits: step.numDigits, seconds: step.timeoutSeconds })}</p>
        </>
      );
    case 'record':
      return (
        <>
          <Clips ctx={ctx} clips={step.prompt} />
          <p class="muted">{t('web:voice.dev.recording', { seconds: step.maxSeconds })}</p>
        </>
      );
    case 'redirect':
      return <p class="muted">{t('web:voice.dev.redirect')}</p>;
    case 'hangup':
      return <p class="muted">{t('web:voice.dev.hangup')}</p>;
  }
}

function TurnView(props: { ctx: PageContext; turn: DevTurn; open: boolean }) {
  const { ctx, turn } = props;
  const { t } = ctx;
  return (
    <details open={props.open} class="voice-turn" id={`turn-${turn.seq}`}>
      <summary>
        {t('web:voice.dev.turn', { seq: turn.seq })} · <code>{turn.input}</code>
      </summary>
      {turn.steps.map((step) => (
        <StepView ctx={ctx} step={step} />
      ))}
      <p>
        <button type="button" class="voice-play" hidden>
          {t('web:voice.dev.autoplay')}
        </button>
      </p>
      <p>
        <small>{t('web:voice.dev.twiml')}</small>
      </p>
      <pre class="voice-twiml">{turn.twiml}</pre>
    </details>
  );
}

export function DevVoicePage(props: { ctx: PageContext; view: DevVoiceView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const call = view.call;
  const hidden = call ? (
    <>
      <CsrfInput token={view.csrf} />
      <input type="hidden" name="call" value={call.id} />
      <input type="hidden" name="seq" value={String(call.seq)} />
      <input type="hidden" name="number" value={view.number} />
    </>
  ) : null;
  return (
    <Layout ctx={ctx} title={t('web:voice.dev.title')} head={<script src="/static/dev-voice.js" defer />}>
      <h1>{t('web:voice.dev.title')}</h1>
      <p class="muted">{t('web:voice.dev.lead')}</p>
      {view.available ? null : (
        <p class="notice notice-error" role="alert">
          {t('web:voice.dev.noLine')}
        </p>
      )}
      <form method="post" action="/dev/voice/call" class="pick">
        <CsrfInput token={view.csrf} />
        <label for="voice-number">
          {t('web:voice.dev.number')}{' '}
          <input id="voice-number" name="number" type="tel" value={view.number} maxlength={32} required />
        </label>{' '}
        <button type="submit">{t('web:voice.dev.call')}</button>
      </form>
      {view.badNumber ? (
        <p class="notice notice-error" role="alert">
          {t('web:voice.dev.badNumber')}
        </p>
      ) : null}
      {call && !call.ended ? (
        <form method="post" action="/dev/voice/press" class="voice-keys">
          {hidden}
          <fieldset>
            <legend>{t('web:voice.dev.keys')}</legend>
            {KEYS.map((k) => (
              <button type="submit" name="digits" value={k}>
                {k}
              </button>
            ))}
          </fieldset>
          <p>
            <button type="submit" name="input" value="silence">
              {t('web:voice.dev.silence')}
            </button>{' '}
            <button type="submit" name="input" value="record">
              {t('web:voice.dev.record', { seconds: view.recordSeconds })}
            </button>{' '}
            <button type="submit" name="input" value="hangup">
              {t('web:voice.dev.hangUp')}
            </button>
          </p>
        </form>
      ) : null}
      {call?.ended ? <p class="notice">{t('web:voice.dev.ended')}</p> : null}
      {call?.turns.map((turn, i) => (
        <TurnView ctx={ctx} turn={turn} open={i === 0} />
      ))}
    </Layout>
  );
}
