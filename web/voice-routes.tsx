/**
 * The voice line's staff pages: the prompt studio (/staff/voice: clips per language, a clip's
 * page, upload and approve) and the call records (/staff/voice/calls); and, locally, the
 * voice audio under /files/voice/* (in AWS CloudFront serves that path from the bucket). The
 * studio and call services authorize, check and audit-log; these routes read forms and show
 * answers. Every action is a CSRF-checked POST answered by a redirect or the page with why.
 */
import { type Context, Hono } from 'hono';
import { addDays, isCalendarDate, shanghaiDay } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import type { VoiceLanguage } from '#core/voice/call.ts';
import type { ClipStatus } from '#core/voice/ports.ts';
import type { VoiceStudio } from '#core/voice/service.ts';
import { defaultVoiceSettings } from '#core/voice/settings.ts';
import { type Acting, staffPage } from './components/price-bits.tsx';
import { type Form, field, formVersion, withQuery } from './forms.ts';
import type { PageDeps, PageEnv, PageKit } from './kit.ts';
import { refusalText } from './knowledge-staff-routes.tsx';
import { CallsPage } from './pages/voice/calls.tsx';
import {
  ClipPage,
  clipFamilies,
  clipPath,
  clipStatuses,
  StudioListPage,
  studioLanguages,
} from './pages/voice/studio.tsx';
import { sendPage } from './render.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

/** Keys the local files route serves: clips, spoken questions, recorded answers, a turn's joined prompt. */
const AUDIO_KEY =
  /^voice\/(?:clips\/(?:bo|zh)\/[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)+\/\d{1,6}|questions\/[\w-]{1,100}|answers\/Q\d{3,6}\/\d{1,15}|turns\/[0-9a-f]{64})\.wav$/u;
const DONE = new Set(['uploaded', 'approved']);

const isLanguage = (v: string | undefined): v is VoiceLanguage =>
  (studioLanguages as readonly string[]).includes(v ?? '');
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | '' =>
  (list as readonly string[]).includes(v ?? '') ? (v as T) : '';

export function voiceWebRoutes(deps: PageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();
  const audioUrl = (key: string) => (deps.voiceAudio ? deps.voiceAudio.url(key) : `/files/${key}`);

  web.get(
    '/staff/voice',
    staffPage(kit, async (c, acting) => {
      const studio = deps.voiceStudio;
      if (!studio) return renderNotFound(c);
      const q = c.req.query();
      const language: VoiceLanguage = isLanguage(q.language) ? q.language : c.get('language') === 'zh' ? 'zh' : 'bo';
      const family = oneOf(clipFamilies, q.family);
      const status = oneOf(clipStatuses, q.status) as ClipStatus | '';
      const cursor = q.cursor && /^\d{1,6}$/.test(q.cursor) ? q.cursor : undefined;
      const [page, coverage] = await Promise.all([
        studio.list(acting, {
          lang: language,
          ...(family ? { family } : {}),
          ...(status ? { status } : {}),
          ...(cursor ? { cursor } : {}),
          limit: 50,
        }),
        studio.coverage(acting),
      ]);
      const next = page.cursor
        ? withQuery('/staff/voice', {
            language,
            family: family || undefined,
            status: status || undefined,
            lang: c.get('language'),
            cursor: page.cursor,
          })
        : undefined;
      return sendPage(
        c,
        <StudioListPage ctx={pageContext(c)} view={{ language, family, status, coverage, items: page.items, next }} />,
      );
    }),
  );

  web.get(
    '/staff/voice/calls',
    staffPage(kit, async (c, acting) => {
      const calls = deps.voiceCalls;
      if (!calls) return renderNotFound(c);
      const today = shanghaiDay(deps.now());
      const asked = c.req.query('day') ?? '';
      const day = isCalendarDate(asked) ? asked : today;
      const cursor = c.req.query('cursor');
      const read = (at?: string) => calls.byDay(acting, { day, ...(at ? { cursor: at } : {}), limit: 50 });
      const page = await read(cursor && cursor.length <= 1024 ? cursor : undefined).catch((err) => {
        if (cursor && err instanceof AppError && err.code === 'invalid_cursor') return read();
        throw err;
      });
      const lang = c.get('language');
      const view = {
        day,
        items: page.items,
        next: page.cursor ? withQuery('/staff/voice/calls', { day, lang, cursor: page.cursor }) : undefined,
        previous: addDays(day, -1),
        following: day < today ? addDays(day, 1) : undefined,
      };
      return sendPage(c, <CallsPage ctx={pageContext(c)} view={view} />);
    }),
  );

  async function renderClip(
    c: Context<PageEnv>,
    acting: Acting,
    studio: VoiceStudio,
    lang: VoiceLanguage,
    id: string,
    extra: { done?: string; error?: string } = {},
    status: 200 | 400 | 403 | 409 = 200,
  ) {
    const view = {
      csrf: c.get('csrfToken')(),
      clip: await studio.clip(acting, lang, id),
      audioUrl,
      mayRecord: await deps.authz.can(acting.actor, 'voice.record'),
      maxSeconds: deps.voiceSettings?.clipMaxSeconds ?? defaultVoiceSettings.clipMaxSeconds,
      ...extra,
    };
    return sendPage(c, <ClipPage ctx={pageContext(c)} view={view} />, status);
  }

  const clipRoute = (
    handler: (
      c: Context<PageEnv>,
      acting: Acting,
      studio: VoiceStudio,
      lang: VoiceLanguage,
      id: string,
    ) => Promise<Response>,
  ) =>
    staffPage(kit, async (c, acting) => {
      const studio = deps.voiceStudio;
      const lang = c.req.param('lang');
      const id = c.req.param('id') ?? '';
      if (!studio || !isLanguage(lang) || id.length > 200) return renderNotFound(c);
      try {
        return await handler(c, acting, studio, lang, id);
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return renderNotFound(c);
        throw err;
      }
    });

  web.get(
    '/staff/voice/clips/:lang/:id',
    clipRoute(async (c, acting, studio, lang, id) => {
      const done = c.req.query('done');
      return renderClip(c, acting, studio, lang, id, done && DONE.has(done) ? { done } : {});
    }),
  );

  /** A step: done → back to the clip's page with its outcome; refused → the page with why (nothing kept). */
  const step = (
    name: string,
    act: (acting: Acting, studio: VoiceStudio, lang: VoiceLanguage, id: string, form: Form) => Promise<void>,
  ) =>
    web.post(
      `/staff/voice/clips/:lang/:id/${name}`,
      clipRoute(async (c, acting, studio, lang, id) => {
        const form = (await c.req.parseBody()) as Form;
        try {
          await act(acting, studio, lang, id, form);
          return c.redirect(`${clipPath(lang, id)}?done=${name === 'upload' ? 'uploaded' : 'approved'}`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || !['validation_failed', 'conflict', 'forbidden'].includes(err.code))
            throw err;
          // A refusal the role allows at all (not the recorder, wrong language) is said on the
          // page; a role without the permission gets the 403 page from staffPage.
          if (err.code === 'forbidden' && !err.details.length) throw err;
          const error = refusalText(pageContext(c).t, err);
          return renderClip(c, acting, studio, lang, id, { error }, err.status as 400 | 403 | 409);
        }
      }),
    );

  step('upload', async (acting, studio, lang, id, form) => {
    const file = form.file;
    if (!(file instanceof File) || file.size === 0)
      throw new AppError('validation_failed', {}, [
        { path: 'file', message: 'no file', key: 'errors:voice.studio.noFile' },
      ]);
    await studio.upload(acting, lang, id, new Uint8Array(await file.arrayBuffer()));
  });

  step('approve', async (acting, studio, lang, id, form) => {
    const version = formVersion(form);
    if (version === undefined) throw new AppError('not_found', { kind: 'version', id: field(form, 'version') });
    await studio.approve(acting, lang, id, version);
  });

  // Locally the app serves the voice audio (in AWS CloudFront does, from the bucket). A spoken
  // question is the farmer's own voice: only signed-in staff hear it here.
  web.get('/files/voice/*', async (c) => {
    const key = c.req.path.slice('/files/'.length);
    const audio = deps.voiceAudio;
    if (!audio || !AUDIO_KEY.test(key)) return renderNotFound(c);
    if (key.startsWith('voice/questions/') && !c.get('actor')) return renderNotFound(c);
    const body = await audio.get(key);
    if (!body) return renderNotFound(c);
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'audio/wav',
      'X-Content-Type-Options': 'nosniff',
      // Keys never change content (a new take is a new version, a new key).
      'Cache-Control': key.startsWith('voice/questions/') ? 'private, max-age=3600' : 'public, max-age=86400',
    });
  });

  return web;
}
