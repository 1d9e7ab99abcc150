/**
 * The prompt studio: every clip the voice line needs, per language, with its status; recordings
 * uploaded by staff who may record (`voice.record`), checked to be the telephone format the
 * line plays (8 kHz mono WAV), and approved by a second person who speaks the language
 * (`content.review` with it, never the recorder). Every step authorizes and audit-logs itself,
 * like the library's reviews.
 */
import { AppError, type ErrorDetail } from '../errors.ts';
import type { Catalog } from '../reference/catalog.ts';
import { auditEntry } from '../staff/audit.ts';
import { languagesWith } from '../staff/authz.ts';
import { type Acting, type GuardDeps, guard } from '../staff/guard.ts';
import { type ClipId, clipIdPattern, type VoiceLanguage, voiceLanguages } from './call.ts';
import type { ClipRecording, ClipRegistry, ClipStatus, VoiceAudio } from './ports.ts';
import type { StudioClip, StudioCoverage, VoiceStudio } from './service.ts';
import type { VoiceSettings } from './settings.ts';
import { clipText, neededClips } from './speech/catalogue.ts';
import { readWav, type WavProblem } from './wav.ts';

export interface StudioDeps extends GuardDeps {
  registry: ClipRegistry;
  audio: Pick<VoiceAudio, 'put' | 'delete'>;
  catalog: () => Promise<Catalog>;
  settings: Pick<VoiceSettings, 'clipMaxSeconds'>;
  log: (entry: Record<string, unknown>) => void;
}

/** The upload form's limit (the page says the same): a 30-second 16-bit 8 kHz clip is under 0.5 MB. */
export const CLIP_MAX_BYTES = 1024 * 1024;
/** Shorter than this is a click, not a word. */
export const CLIP_MIN_MS = 200;
const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;

export const clipKey = (lang: VoiceLanguage, id: ClipId, version: number) => `voice/clips/${lang}/${id}/${version}.wav`;

/** A refused upload or approval, with its reason as a message key (`errors:voice.studio.<name>`). */
const studioRefusal = (
  name: string,
  params: Record<string, string | number> = {},
  code: 'validation_failed' | 'forbidden' | 'conflict' = 'validation_failed',
) => {
  const detail: ErrorDetail = {
    path: 'file',
    message: name.replace(/([A-Z])/gu, ' $1').toLowerCase(),
    key: `errors:voice.studio.${name}`,
    params,
  };
  return new AppError(code, params, [detail]);
};

const wavRefusal: Record<WavProblem, string> = {
  not_wav: 'notWav',
  // A header that promises more audio than the file holds is not a usable WAV either.
  truncated: 'notWav',
  not_8khz: 'not8k',
  not_mono: 'notMono',
  bad_encoding: 'encoding',
};

const isVoiceLanguage = (lang: string): lang is VoiceLanguage => (voiceLanguages as readonly string[]).includes(lang);
/**
 * The newest recording and the approved one (when older) of each clip, from the registry's
 * list, which holds both for a clip whose newest recording waits for approval.
 */
function byClip(recordings: ClipRecording[]) {
  const out = new Map<ClipId, { latest: ClipRecording; approved?: ClipRecording }>();
  for (const r of recordings) {
    const seen = out.get(r.id);
    const latest = !seen || r.version > seen.latest.version ? r : seen.latest;
    const approved = [seen?.approved, seen?.latest, r]
      .filter((x): x is ClipRecording => x?.status === 'approved')
      .sort((a, b) => b.version - a.version)[0];
    out.set(r.id, { latest, ...(approved ? { approved } : {}) });
  }
  return out;
}

/**
 * A clip's status as the studio filters it: its newest recording's. `recorded` is the
 * reviewers' queue (a newer take waiting, even while an older approved one plays).
 */
const statusOf = (rec: { latest: ClipRecording } | undefined): ClipStatus =>
  !rec ? 'missing' : rec.latest.status === 'approved' ? 'approved' : 'recorded';

/**
 * A recording in the format the line plays (8 kHz mono WAV, 16-bit PCM or 8-bit μ-law), between
 * 0.2 s and `maxSeconds`, within 1 MB: its length, or the refusal with its reason.
 */
export function checkedWav(bytes: Uint8Array, maxSeconds: number): { durationMs: number } {
  if (bytes.byteLength > CLIP_MAX_BYTES) throw studioRefusal('tooBig', { max: '1 MB' });
  const wav = readWav(bytes);
  if (!wav.ok) throw studioRefusal(wavRefusal[wav.problem]);
  const { durationMs } = wav.info;
  if (durationMs < CLIP_MIN_MS) throw studioRefusal('tooShort', { seconds: CLIP_MIN_MS / 1000 });
  if (durationMs > maxSeconds * 1000) throw studioRefusal('tooLong', { seconds: maxSeconds });
  return { durationMs };
}

export function createStudio(deps: StudioDeps): VoiceStudio {
  const audit = (
    acting: Acting,
    action: string,
    target: string,
    detail: Record<string, string | number>,
    outcome: 'ok' | 'denied' = 'ok',
  ) =>
    deps.audit.record(
      auditEntry(
        {
          actor: acting.actor.phone,
          action,
          target,
          outcome,
          detail,
          ...(acting.requestId ? { requestId: acting.requestId } : {}),
        },
        deps.now(),
      ),
    );

  /** Listing is for those who record and those who approve. */
  const mayView = async (acting: Acting) => {
    if (await deps.authz.can(acting.actor, 'content.review')) return;
    await guard(deps, acting, 'voice.record');
  };

  const mayApprove = (acting: Acting, lang: VoiceLanguage, latest: ClipRecording | undefined) =>
    latest !== undefined &&
    latest.status === 'recorded' &&
    latest.recordedBy !== acting.actor.phone &&
    languagesWith(acting.actor, 'content.review').has(lang);

  const languageOf = (lang: string): VoiceLanguage => {
    if (!isVoiceLanguage(lang)) throw new AppError('not_found', { kind: 'language', id: lang });
    return lang;
  };

  /** The needed clip, or a 404: the studio records only what the line can play. */
  const neededClip = async (lang: VoiceLanguage, id: ClipId) => {
    const catalog = await deps.catalog();
    const clip = clipIdPattern.test(id) ? neededClips(lang, catalog).find((c) => c.id === id) : undefined;
    if (!clip) throw new AppError('not_found', { kind: 'clip', id });
    return clip;
  };

  const clipsOf = async (lang: VoiceLanguage, viewer: Acting): Promise<StudioClip[]> => {
    const [catalog, recordings] = await Promise.all([deps.catalog(), deps.registry.list(lang)]);
    const recorded = byClip(recordings);
    return neededClips(lang, catalog).map((c): StudioClip => {
      const rec = recorded.get(c.id);
      return {
        id: c.id,
        lang,
        text: clipText(lang, c.id, catalog) ?? '',
        family: c.family,
        status: statusOf(rec),
        ...(rec ? { latest: rec.latest } : {}),
        ...(rec?.approved && rec.approved.version !== rec.latest.version ? { approved: rec.approved } : {}),
        mayApprove: mayApprove(viewer, lang, rec?.latest),
      };
    });
  };

  return {
    async list(acting, query) {
      await mayView(acting);
      const lang = languageOf(query.lang);
      const start = query.cursor === undefined ? 0 : /^\d{1,6}$/.test(query.cursor) ? Number(query.cursor) : -1;
      if (start < 0) throw new AppError('invalid_cursor');
      const limit = Math.min(Math.max(query.limit ?? PAGE_DEFAULT, 1), PAGE_MAX);
      const all = (await clipsOf(lang, acting)).filter(
        (c) => (!query.family || c.family === query.family) && (!query.status || c.status === query.status),
      );
      const items = all.slice(start, start + limit);
      return start + limit < all.length ? { items, cursor: String(start + limit) } : { items };
    },

    async coverage(acting) {
      await mayView(acting);
      const catalog = await deps.catalog();
      return Promise.all(
        voiceLanguages.map(async (lang): Promise<StudioCoverage> => {
          const recorded = byClip(await deps.registry.list(lang));
          const needed = neededClips(lang, catalog);
          const count = (p: (r: ReturnType<typeof recorded.get>) => boolean) =>
            needed.filter((c) => p(recorded.get(c.id))).length;
          const approved = count((r) => r?.approved !== undefined);
          return {
            lang,
            needed: needed.length,
            recorded: count((r) => r !== undefined),
            approved,
            share: needed.length ? approved / needed.length : 0,
          };
        }),
      );
    },

    async clip(acting, rawLang, id) {
      await mayView(acting);
      const lang = languageOf(rawLang);
      await neededClip(lang, id);
      const clip = (await clipsOf(lang, acting)).find((c) => c.id === id);
      if (!clip) throw new AppError('not_found', { kind: 'clip', id });
      return clip;
    },

    async upload(acting, rawLang, id, bytes) {
      await guard(deps, acting, 'voice.record');
      const lang = languageOf(rawLang);
      await neededClip(lang, id);
      const { durationMs } = checkedWav(bytes, deps.settings.clipMaxSeconds);
      // The key names the version the registry will give it (newest + 1): recordings are
      // immutable objects, so a player caching one never hears another take under its URL.
      const version = ((await deps.registry.get(lang, id))?.version ?? 0) + 1;
      const key = clipKey(lang, id, version);
      await deps.audio.put(key, bytes, 'audio/wav');
      let saved: ClipRecording;
      try {
        saved = await deps.registry.add({
          lang,
          id,
          key,
          durationMs,
          bytes: bytes.byteLength,
          recordedBy: acting.actor.phone,
          recordedAt: deps.now().toISOString(),
        });
      } catch (err) {
        // Not registered: the object goes (a take nobody can list would only take space),
        // unless another take claimed this version at the same moment: the key is theirs then.
        if (err instanceof AppError && err.code === 'conflict') throw studioRefusal('changed', {}, 'conflict');
        await deps.audio.delete(key).catch(() => undefined);
        throw err;
      }
      // Two takes of one clip at the same moment: the registry numbered ours after theirs, so our
      // key names their version. Rare (one speaker per clip); said in the log so it can be found.
      if (saved.version !== version)
        deps.log({
          level: 'warn',
          msg: 'a clip take was numbered after a concurrent one',
          lang,
          id,
          key,
          version: saved.version,
        });
      await audit(acting, 'voice.clip_upload', `${lang}/${id}`, { version: saved.version, durationMs });
      return saved;
    },

    async approve(acting, rawLang, id, version) {
      await guard(deps, acting, 'content.review');
      const lang = languageOf(rawLang);
      const target = `${lang}/${id}`;
      if (!languagesWith(acting.actor, 'content.review').has(lang)) {
        await audit(acting, 'access.denied', target, { permission: 'content.review', language: lang }, 'denied');
        throw studioRefusal('wrongLanguage', { language: lang }, 'forbidden');
      }
      const latest = clipIdPattern.test(id) ? await deps.registry.get(lang, id) : undefined;
      if (!latest) throw new AppError('not_found', { kind: 'clip', id });
      if (latest.version !== version || latest.status !== 'recorded') throw studioRefusal('changed', {}, 'conflict');
      if (latest.recordedBy === acting.actor.phone) {
        await audit(acting, 'access.denied', target, { permission: 'content.review', reason: 'own' }, 'denied');
        throw studioRefusal('ownRecording', {}, 'forbidden');
      }
      const approved = await deps.registry.approve(lang, id, version, acting.actor.phone, deps.now());
      await audit(acting, 'voice.clip_approve', target, { version });
      return approved;
    },
  };
}
