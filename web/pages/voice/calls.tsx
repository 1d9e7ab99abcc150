/**
 * /staff/voice/calls: one day's calls to the voice line, newest first — who (masked), in which
 * language, the keys pressed, what was heard, how it ended and how long it took. No script.
 */
import { shanghaiMinute } from '#core/dates.ts';
import type { CallRecord } from '#core/voice/call.ts';
import { Layout, type PageContext } from '../../components/layout.tsx';
import { NextPageLink } from '../../components/paging.tsx';
import { maskedPhone } from '../../components/price-bits.tsx';

export interface CallsView {
  day: string;
  items: CallRecord[];
  next?: string | undefined;
  previous: string;
  following?: string | undefined;
}

const duration = (s: number | undefined) =>
  s === undefined ? '—' : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

export function CallsPage(props: { ctx: PageContext; view: CallsView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  const dayLink = (day: string) => `/staff/voice/calls?day=${day}&lang=${lang}`;
  return (
    <Layout ctx={ctx} title={t('web:voice.calls.title')}>
      <p class="muted">
        <a href="/staff">{t('staff:voice.links.title')}</a>
      </p>
      <h1>{t('web:voice.calls.title')}</h1>
      <form method="get" action="/staff/voice/calls" class="pick">
        <input type="hidden" name="lang" value={lang} />
        <label for="calls-day">
          {t('web:voice.calls.day')} <input id="calls-day" type="date" name="day" value={view.day} required />
        </label>{' '}
        <button type="submit">{t('web:knowledge.show')}</button>
      </form>
      <p>
        <a href={dayLink(view.previous)}>{t('web:voice.calls.previous')}</a>
        {view.following ? (
          <>
            {' · '}
            <a href={dayLink(view.following)}>{t('web:voice.calls.following')}</a>
          </>
        ) : null}
      </p>
      {view.items.length ? (
        <ul class="k-list voice-calls">
          {view.items.map((call) => (
            <li>
              <strong>{shanghaiMinute(call.startedAt).slice(11)}</strong> ·{' '}
              <span class="nw">{call.phone ? maskedPhone(call.phone) : t('web:voice.calls.erased')}</span> ·{' '}
              {call.lang ? t(`web:knowledge.lang.${call.lang}`) : '—'} · {t(`web:voice.calls.outcome.${call.outcome}`)}{' '}
              · {duration(call.durationSeconds)}
              <br />
              <small>
                {t('web:voice.calls.path')}: <code class="voice-path">{call.path.join(' ') || '—'}</code>
              </small>
              <br />
              <small>
                {t('web:voice.calls.heard')}: {call.heardLog.join(', ') || '—'}
              </small>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('web:voice.calls.none')}</p>
      )}
      <NextPageLink t={t} next={view.next} />
    </Layout>
  );
}
