import type { Translator } from '#core/i18n.ts';

/**
 * A WAV file input with its label (the page puts it in its paragraph, with any hint): the studio's clip upload and the expert's recorded answer.
 * `data-recorder` lets web/static/voice-recorder.js add a Record/Stop button beside it (an
 * enhancement: without JavaScript the file input is the form), stopping at `maxSeconds`.
 */
export const AudioFileInput = (props: { t: Translator; id: string; maxSeconds: number }) => (
  <>
    <label for={props.id}>{props.t('web:voice.studio.file')}</label>
    <br />
    <input
      id={props.id}
      type="file"
      name="file"
      accept="audio/wav,audio/x-wav,.wav"
      required
      data-recorder
      data-record={props.t('web:voice.recorder.record')}
      data-stop={props.t('web:voice.recorder.stop')}
      data-ready={props.t('web:voice.recorder.ready')}
      data-failed={props.t('web:voice.recorder.failed')}
      data-max-seconds={String(props.maxSeconds)}
    />
  </>
);
