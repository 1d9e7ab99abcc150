/**
 * Clip ids → the clips that play: the caller's language's approved recording, else the other
 * language's, else (local mode) a generated placeholder, else nothing — and then, once, the
 * `missing` phrase, which offers the SMS (key 8) for what could not be said.
 */
import type { Catalog } from '../reference/catalog.ts';
import { type ClipId, otherVoiceLanguage, type PlayClip, type VoiceLanguage } from './call.ts';
import type { ClipRegistry } from './ports.ts';
import { clipText } from './speech/catalogue.ts';
import { estimateMs } from './speech/duration.ts';

export type Playable = Awaited<ReturnType<ClipRegistry['playable']>>;

/** Published items' summaries by `<id>.<version>` (`item.<id>.<version>` clips read them aloud), filled as content is read. */
export type ItemTexts = Map<string, Partial<Record<VoiceLanguage, string>>>;

export interface ClipContext {
  playable: Playable;
  catalog: Catalog;
  placeholders: boolean;
  items: ItemTexts;
}

const MISSING: ClipId = 'say.missing';

const textOf = (ctx: ClipContext, lang: VoiceLanguage, id: ClipId) =>
  clipText(lang, id, ctx.catalog, (itemId, version, l) =>
    l === 'en' ? undefined : ctx.items.get(`${itemId}.${version}`)?.[l] || undefined,
  );

/** One clip, or undefined when nothing can play it. */
export function resolveClip(ctx: ClipContext, lang: VoiceLanguage, id: ClipId): PlayClip | undefined {
  for (const l of [lang, otherVoiceLanguage(lang)]) {
    const rec = ctx.playable.get(l)?.get(id);
    if (rec) return { id, lang: l, text: textOf(ctx, l, id) ?? '', key: rec.key, durationMs: rec.durationMs };
  }
  if (!ctx.placeholders) return undefined;
  // A placeholder needs a script to be said from: a clip without one (an unknown item) is missing.
  const text = textOf(ctx, lang, id);
  if (text === undefined) return undefined;
  return { id, lang, text, placeholder: true, durationMs: estimateMs(lang, text) };
}

/** Whether a clip would play in this language (approved in either language, or a placeholder). */
export const canPlay = (ctx: ClipContext, lang: VoiceLanguage, id: ClipId) => resolveClip(ctx, lang, id) !== undefined;

/** Clips in order, those that cannot play dropped, with `missing` at the end when any was. */
export function resolveClips(ctx: ClipContext, lang: VoiceLanguage, ids: readonly ClipId[]): PlayClip[] {
  let missing = false;
  const out: PlayClip[] = [];
  for (const id of ids) {
    const clip = resolveClip(ctx, lang, id);
    if (clip) out.push(clip);
    else if (id !== MISSING) missing = true;
  }
  if (missing) {
    const note = resolveClip(ctx, lang, MISSING);
    if (note && !out.some((c) => c.id === MISSING)) out.push(note);
  }
  return out;
}

/** Parts of one prompt joined: `missing` said once, where it first comes. */
export function joinClips(...parts: PlayClip[][]): PlayClip[] {
  let said = false;
  return parts.flat().filter((c) => {
    if (c.id !== MISSING) return true;
    if (said) return false;
    said = true;
    return true;
  });
}
