import { Layout, type PageContext } from '../components/layout.tsx';

export function NotFoundPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('web:notFound.title')}>
      <h1>{t('web:notFound.title')}</h1>
      <p>{t('web:notFound.text')}</p>
      <p>
        <a href="/">{t('web:notFound.home')}</a>
      </p>
    </Layout>
  );
}

export function ErrorPage(props: { ctx: PageContext; requestId: string }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('web:error.title')}>
      <h1>{t('web:error.title')}</h1>
      <p>{t('web:error.text')}</p>
      <p class="muted">
        <code>{props.requestId}</code>
      </p>
    </Layout>
  );
}

export function ProblemPage(props: {
  ctx: PageContext;
  code: string;
  params: Record<string, string | number>;
  requestId: string;
}) {
  const { t } = props.ctx;
  const title = t(`errors:${props.code}.title`);
  return (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <p>{t(`errors:${props.code}.detail`, props.params)}</p>
      <p>
        <a href="/">{t('web:notFound.home')}</a>
      </p>
      <p class="muted">
        <code>{props.requestId}</code>
      </p>
    </Layout>
  );
}
