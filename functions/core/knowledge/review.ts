/**
 * The review workflow's state changes, pure: what an edit does to the two languages' reviews,
 * when an approval publishes, what an urgent alert's publication keeps back. The service
 * (knowledge.ts) authorizes, stores and audit-logs; here only the rules, each refusal an
 * AppError with its `errors:knowledge.*` key.
 *
 * draft → (submit) in_review → (bo and zh approved for the same version, by two people, neither
 * an author) published → archived. Editing a published item starts a correction: a new
 * version in draft, while the public keeps reading the last published one.
 */
import { AppError } from '../errors.ts';
import type {
  Item,
  ItemContent,
  ItemStatus,
  LanguageReview,
  PublishedVersion,
  ReviewedLanguage,
  Versions,
} from './item.ts';
import { reviewedLanguages } from './item.ts';
import { changedLanguages, sharedChanged } from './validate.ts';

export const refusal = (
  name: string,
  params?: Record<string, string | number>,
  code: 'conflict' | 'forbidden' = 'conflict',
) =>
  new AppError(code, params ?? {}, [
    {
      message: name.replace(/([A-Z])/gu, ' $1').toLowerCase(),
      key: `errors:knowledge.${name}`,
      ...(params ? { params } : {}),
    },
  ]);

export const wrongStatus = (status: ItemStatus) => refusal('status', { status });

const pending: LanguageReview = { state: 'pending' };
export const freshReviews = (): Record<ReviewedLanguage, LanguageReview> => ({
  bo: { ...pending },
  zh: { ...pending },
});

const other = (l: ReviewedLanguage): ReviewedLanguage => (l === 'bo' ? 'zh' : 'bo');

/**
 * The item after an editor's change of its working content; the same item when nothing
 * changed (no new version for a form saved twice).
 * - published (or a published urgent alert's follow-up): a correction — status draft, both reviews pending;
 * - otherwise: a language whose text changed is pending again and the other language's
 *   approval, if any, needs_update; shared content (regions, fields) withdraws both.
 * Archived items are not edited.
 */
export function edit(item: Item, content: ItemContent, editor: string, now: Date, broadcast?: boolean): Item {
  if (item.status === 'archived') throw wrongStatus(item.status);
  const languages = changedLanguages(item.content, content);
  const shared = sharedChanged(item.content, content);
  const broadcastChanged = broadcast !== undefined && broadcast !== (item.broadcast ?? false);
  if (!languages.length && !shared && !broadcastChanged) return item;
  const next: Item = {
    ...item,
    content,
    ...(broadcast !== undefined ? { broadcast } : {}),
    updatedAt: now.toISOString(),
  };
  if (!languages.length && !shared) return next; // (only whether to broadcast: no new version of the text)
  next.version = item.version + 1;
  next.authors = item.authors.includes(editor) ? item.authors : [...item.authors, editor];
  if (item.status === 'published') {
    next.status = 'draft';
    next.reviews = freshReviews();
    return next;
  }
  const reviews = { bo: { ...item.reviews.bo }, zh: { ...item.reviews.zh } };
  if (shared) {
    next.reviews = freshReviews();
    return next;
  }
  for (const l of reviewedLanguages) {
    if (!languages.includes(l)) continue;
    reviews[l] = { ...pending };
    const o = other(l);
    if (reviews[o].state === 'approved') reviews[o] = { state: 'needs_update' };
  }
  next.reviews = reviews;
  return next;
}

/** draft → in_review (the service checks languages and summaries first). */
export function submit(item: Item, now: Date): Item {
  if (item.status !== 'draft') throw wrongStatus(item.status);
  return { ...item, status: 'in_review', updatedAt: now.toISOString() };
}

/** The published record of the working version (all its languages, or some of them for an urgent alert). */
function publication(
  item: Item,
  versions: Versions,
  approvals: PublishedVersion['approvals'],
  now: Date,
  follows?: ReviewedLanguage[],
): PublishedVersion {
  return {
    version: item.version,
    content: { ...item.content, versions },
    publishedAt: now.toISOString(),
    approvals,
    ...(follows?.length ? { follows } : {}),
    attachments: item.attachments,
  };
}

/**
 * One language's approval of version `version` by `by`. Refused: not in review (`status`), a
 * version that is not the working one (`staleVersion`), an author (`ownWork`), the reviewer who
 * approved the other language (`sameReviewer`). Publishes when both stand approved for this
 * version. An approval given twice changes nothing.
 */
export function approve(
  item: Item,
  language: ReviewedLanguage,
  by: string,
  version: number,
  now: Date,
): { item: Item; published: boolean } {
  if (item.status !== 'in_review') throw wrongStatus(item.status);
  if (version !== item.version) throw refusal('staleVersion', { version: item.version });
  if (item.authors.includes(by)) throw refusal('ownWork', undefined, 'forbidden');
  const mine = item.reviews[language];
  if (mine.state === 'approved' && mine.version === version && mine.by === by) return { item, published: false };
  const theirs = item.reviews[other(language)];
  const theirsStands = theirs.state === 'approved' && theirs.version === version;
  if (theirsStands && theirs.by === by) throw refusal('sameReviewer', undefined, 'forbidden');
  const at = now.toISOString();
  const reviews = { ...item.reviews, [language]: { state: 'approved', by, at, version } as LanguageReview };
  const next: Item = { ...item, reviews, updatedAt: at };
  if (!theirsStands) return { item: next, published: false };
  const approvals: PublishedVersion['approvals'] = {};
  for (const l of reviewedLanguages) approvals[l] = { by: reviews[l].by!, at: reviews[l].at! };
  return {
    item: {
      ...next,
      status: 'published',
      authors: [],
      published: publication(next, item.content.versions, approvals, now),
    },
    published: true,
  };
}

/**
 * An urgent alert published by one reviewer of its main language: the public gets the main
 * language (and English, if written) at once; the other language follows. When its text is
 * already there the item stays in review for it (its reviewer approves this same version, and
 * the whole alert is published); else the editor adds it as a correction.
 */
export function publishUrgent(item: Item, by: string, version: number, now: Date): Item {
  const fields = item.content.fields;
  if (fields.kind !== 'alert' || !fields.urgent) throw refusal('notUrgent');
  if (item.status !== 'draft' && item.status !== 'in_review') throw wrongStatus(item.status);
  if (version !== item.version) throw refusal('staleVersion', { version: item.version });
  if (item.authors.includes(by)) throw refusal('ownWork', undefined, 'forbidden');
  const main = fields.mainLanguage;
  const rest = other(main);
  const v = item.content.versions;
  const versions: Versions = { [main]: v[main], ...(v.en ? { en: v.en } : {}) };
  const at = now.toISOString();
  const reviews = { ...item.reviews, [main]: { state: 'approved', by, at, version } as LanguageReview };
  const restReady = Boolean(v[rest]?.title && v[rest]?.body && v[rest]?.summary);
  return {
    ...item,
    status: restReady ? 'in_review' : 'published',
    reviews,
    ...(restReady ? {} : { authors: [] }),
    updatedAt: at,
    published: publication(item, versions, { [main]: { by, at } }, now, [rest]),
  };
}

/** Any state but archived → archived (the store then removes it from the public indexes). */
export function archive(item: Item, now: Date): Item {
  if (item.status === 'archived') throw wrongStatus(item.status);
  return { ...item, status: 'archived', updatedAt: now.toISOString() };
}
