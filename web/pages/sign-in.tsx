import { maskPhone } from '#core/phone.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { CSRF_FIELD } from '../kit.ts';

/** What a POST-redirect-GET carries back to the page: an error code with numbers, or a done key. */
export interface Flash {
  error?: { code: string; params: Record<string, number> };
  done?: string;
}

export const CsrfInput = (props: { token: string }) => <input type="hidden" name={CSRF_FIELD} value={props.token} />;

export function Notice(props: { ctx: PageContext; flash: Flash }) {
  const { t } = props.ctx;
  const { error, done } = props.flash;
  if (error) {
    return (
      <p class="notice notice-error" role="alert">
        <strong>{t(`errors:${error.code}.title`)}</strong> {t(`errors:${error.code}.detail`, error.params)}
      </p>
    );
  }
  return done ? (
    <p class="notice" role="status">
      {t(`staff:${done}`)}
    </p>
  ) : null;
}

export interface SignInView {
  step: 'phone' | 'code';
  /** The E.164 number a code was asked for (code step). */
  phone?: string;
  csrf: string;
  flash: Flash;
  /** Where to go after signing in (a local path). */
  next?: string;
}

/** Two small forms, each a plain POST that redirects back here: works with JavaScript off. */
export function SignInPage(props: { ctx: PageContext; view: SignInView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const next = view.next ? <input type="hidden" name="next" value={view.next} /> : null;
  return (
    <Layout ctx={ctx} title={t('staff:signIn.title')}>
      <h1>{t('staff:signIn.title')}</h1>
      <Notice ctx={ctx} flash={view.flash} />
      {view.step === 'phone' ? (
        <>
          <p class="lead">{t('staff:signIn.intro')}</p>
          <form method="post" action="/sign-in/code" class="stack">
            <CsrfInput token={view.csrf} />
            {next}
            <p>
              <label for="phone">{t('staff:signIn.phone')}</label>
              <br />
              <input
                id="phone"
                name="phone"
                type="tel"
                inputmode="tel"
                autocomplete="tel"
                required
                maxlength={32}
                placeholder={t('staff:signIn.phoneHint')}
              />
            </p>
            <p>
              <button type="submit">{t('staff:signIn.send')}</button>
            </p>
          </form>
        </>
      ) : (
        <>
          <p class="lead">{t('staff:signIn.sent', { phone: maskPhone(view.phone ?? '') })}</p>
          <form method="post" action="/sign-in" class="stack">
            <CsrfInput token={view.csrf} />
            {next}
            <p>
              <label for="code">{t('staff:signIn.code')}</label>
              <br />
              <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                required
                maxlength={20}
                autofocus
              />
            </p>
            <p>
              <button type="submit">{t('staff:signIn.submit')}</button>
            </p>
          </form>
          <form method="post" action="/sign-in/code" class="inline-form">
            <CsrfInput token={view.csrf} />
            {next}
            <input type="hidden" name="phone" value={view.phone ?? ''} />
            <button type="submit" class="secondary">
              {t('staff:signIn.resend')}
            </button>
          </form>
          <p>
            <a href="/sign-in">{t('staff:signIn.otherPhone')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}

/** A refused form (stale token, or posted from another site): say so plainly, offer a way back. */
export function CsrfFailedPage(props: { ctx: PageContext; back: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('errors:csrf_failed.title')}>
      <h1>{t('errors:csrf_failed.title')}</h1>
      <p>{t('errors:csrf_failed.detail')}</p>
      <p>
        <a href={props.back}>{t('staff:csrf.back')}</a>
      </p>
    </Layout>
  );
}
