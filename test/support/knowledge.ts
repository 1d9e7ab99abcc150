/**
 * Helpers for knowledge tests: staff acting with given grants (the service authorizes by the
 * actor's grants, as a signed-in staff member's), item inputs, and a guide or alert taken
 * through the paired review to publication.
 */
import type { ItemKind } from '#core/knowledge/item.ts';
import type { ItemInput, KnowledgeService } from '#core/knowledge/service.ts';
import type { Language } from '#core/reference/schemas.ts';
import type { Acting } from '#core/staff/guard.ts';
import type { Grant } from '#core/staff/roles.ts';

/** Someone acting with these grants (no staff record needed: the guard reads the grants). */
export const acting = (phone: string, ...grants: Grant[]): Acting => ({
  actor: { phone, grants, configAdmin: false },
});

export const editorOf = (phone: string, regions: string[] = ['*']) => acting(phone, { role: 'editor', regions });
export const reviewerOf = (phone: string, languages?: Language[], regions: string[] = ['*']) =>
  acting(phone, { role: 'reviewer', regions, ...(languages ? { languages } : {}) });
export const expertOf = (phone: string, regions: string[] = ['*']) => acting(phone, { role: 'expert', regions });

export const EDITOR = editorOf('+8613900000101');
export const BO_REVIEWER = reviewerOf('+8613900000102', ['bo']);
export const ZH_REVIEWER = reviewerOf('+8613900000103', ['zh']);

/** A guide's input: barley, during production, technique, every month, for `regions`. */
export function guideInput(over: Partial<ItemInput> & { summary?: Partial<Record<Language, string>> } = {}): ItemInput {
  const summary = {
    bo: 'ནས་ལ་ཆུ་འདྲེན།',
    zh: '青稞出苗后及时浇水。',
    en: 'Water barley after it comes up.',
    ...over.summary,
  };
  return {
    regions: over.regions ?? ['*'],
    fields: over.fields ?? {
      kind: 'guide',
      commodityId: 'barley_qingke',
      stage: 'during',
      topic: 'technique',
      months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    },
    versions: over.versions ?? {
      bo: { title: 'ནས་ཀྱི་ཆུ།', body: 'ནས་ལ་ཆུ་འདྲེན།', summary: summary.bo },
      zh: { title: '青稞浇水', body: '青稞出苗后及时浇水，保持土壤湿润。', summary: summary.zh },
      en: { title: 'Watering barley', body: 'Water barley after it comes up.', summary: summary.en },
    },
  };
}

/** An alert's input: weather, `severity`, for `regions`, from an hour ago to `hours` ahead of `now`. */
export function alertInput(
  now: Date,
  over: {
    regions?: string[];
    severity?: 'minor' | 'moderate' | 'severe' | 'extreme';
    urgent?: boolean;
    summary?: string;
    hours?: number;
    broadcast?: boolean;
  } = {},
): ItemInput {
  const onset = new Date(now.getTime() - 3600_000).toISOString();
  const expires = new Date(now.getTime() + (over.hours ?? 48) * 3600_000).toISOString();
  return {
    regions: over.regions ?? ['pref_shigatse'],
    fields: {
      kind: 'alert',
      alertKind: 'weather',
      severity: over.severity ?? 'severe',
      onset,
      expires,
      urgent: over.urgent ?? false,
      mainLanguage: 'bo',
    },
    versions: {
      bo: { title: 'སེར་བ།', body: 'སེར་བ་འབབ།', summary: 'སེར་བ་འབབ།' },
      zh: { title: '冰雹预警', body: '明天有冰雹。', summary: over.summary ?? '明天有冰雹，请收好青稞。' },
      en: { title: 'Hail', body: 'Hail tomorrow.', summary: 'Hail tomorrow: bring in the barley.' },
    },
    ...(over.broadcast !== undefined ? { broadcast: over.broadcast } : {}),
  };
}

/** Created by EDITOR, submitted, approved in bo then zh by two reviewers: published. */
export async function publish(knowledge: KnowledgeService, kind: ItemKind, input: ItemInput) {
  const draft = await knowledge.create(EDITOR, kind, input);
  await knowledge.submit(EDITOR, draft.id);
  await knowledge.approve(BO_REVIEWER, draft.id, 'bo', draft.version);
  return knowledge.approve(ZH_REVIEWER, draft.id, 'zh', draft.version);
}
