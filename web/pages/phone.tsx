import type { DeliveryStatus, OutboundSms } from '#core/sms/messages.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { CsrfInput } from './sign-in.tsx';

export interface PhoneEntry {
  text: string;
  at: string;
}

/**
 * A basic phone on a page: type as a farmer, see the replies with their encoding and
 * segment count. Plain form, works with JavaScript off. Local mode only.
 */
export function PhonePage(props: {
  ctx: PageContext;
  number: string;
  /** The number typed last time was not a phone number. */
  badNumber: boolean;
  csrf: string;
  typed: PhoneEntry[];
  outbox: Array<OutboundSms & { status: DeliveryStatus }>;
}) {
  const { ctx, number, typed, outbox } = props;
  const { t } = ctx;
  const thread = [
    ...typed.map((e) => ({ at: e.at, mine: true, text: e.text, note: '' })),
    ...outbox.map((m) => ({
      at: m.createdAt,
      mine: false,
      text: m.text,
      note: t('web:phone.meta', { encoding: m.encoding, segments: m.segments, status: m.status }),
    })),
  ].sort((a, b) => (a.at < b.at ? 1 : -1));
  return (
    <Layout ctx={ctx} title={t('web:phone.title')}>
      <h1>{t('web:phone.title')}</h1>
      <p class="lead">{t('web:phone.intro')}</p>
      {props.badNumber ? (
        <p class="notice notice-error" role="alert">
          {t('errors:invalid_phone.title')}: {number}
        </p>
      ) : null}
      <form method="post" action="/dev/phone" class="phone-form">
        <CsrfInput token={props.csrf} />
        <label>
          {t('web:phone.number')} <input name="number" value={number} inputmode="tel" required />
        </label>
        <label>
          {t('web:phone.text')} <textarea name="text" rows={2} maxlength={2000}></textarea>
        </label>
        <button type="submit">{t('web:phone.send')}</button>
      </form>
      <ol class="thread">
        {thread.map((m) => (
          <li class={m.mine ? 'sms mine' : 'sms'}>
            <span class="sms-text">{m.text}</span>
            {m.note ? <small class="muted"> {m.note}</small> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
}
