/**
 * The knowledge library: guides, bulletins and alerts written by bureaus in Tibetan and
 * Chinese, each language approved by its own reviewer before anything is published; TIP and
 * ALERTS read the published ones by SMS. Every staff step authorizes (region scope) and
 * audit-logs itself; the rules of the review are review.ts', pure. docs/knowledge.md tells
 * the whole workflow.
 */

import type { BroadcastService } from '../broadcasts/service.ts';
import { AppError, type ErrorDetail } from '../errors.ts';
import { type Catalog, isWithin } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { SignatureSettings, Transliterate } from '../sms/compose-sms.ts';
import type { ReplyLine } from '../sms/messages.ts';
import { smsName } from '../sms/sms-names.ts';
import { listNames } from '../sms/sms-text.ts';
import { auditEntry } from '../staff/audit.ts';
import { languagesWith, regionsWith } from '../staff/authz.ts';
import { type Acting, type GuardDeps, guard } from '../staff/guard.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import { anonymise } from './anonymise.ts';
import { isAttachmentId, isItemId, itemIdFor, kindOfId, newAttachmentId, newItemId } from './ids.ts';
import {
  type Attachment,
  breaksQuietHours,
  type Item,
  type ItemContent,
  type ItemKind,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  type PublicItem,
  type PublishedVersion,
  type ReviewedLanguage,
  type TipEntry,
} from './item.ts';
import type { AttachmentFiles, KnowledgeStore, QuestionStore } from './ports.ts';
import { alertLines, bySeverity, pathOf, textFor } from './reading.ts';
import * as review from './review.ts';
import { refusal } from './review.ts';
import type { ItemInput, ItemView, KnowledgeService, SummaryCheck } from './service.ts';
import type { KnowledgeSettings } from './settings.ts';
import { extensionOf, SNIFF_BYTES, sniffType } from './sniff.ts';
import { bareText, checkSummaries, type SummaryComposer, summaryProblems } from './summaries.ts';
import { rankTips } from './tip.ts';
import { knowledgeProblem, missingAtSubmit, validateItem } from './validate.ts';

export interface KnowledgeDeps extends GuardDeps {
  store: KnowledgeStore;
  /** Answered questions become guides (guideFromQuestion). */
  questions: Pick<QuestionStore, 'get' | 'save'>;
  /** A publication drafts its broadcast here. */
  broadcasts: Pick<BroadcastService, 'draftFrom'>;
  /** The files bucket; without it attachments are refused (unavailable). */
  files?: AttachmentFiles;
  catalog: () => Promise<Pick<Catalog, 'regions' | 'commodities'>>;
  signature: SignatureSettings;
  /** Tibetan → Wylie, loaded when a summary is first counted. */
  toWylie: () => Promise<Transliterate>;
  settings: KnowledgeSettings;
  log: (entry: Record<string, unknown>) => void;
}

/** The upload window of a presigned POST, and how many ids to draw before giving up on a clash. */
const UPLOAD_SECONDS = 900;
const ID_ATTEMPTS = 5;
/** /alerts without a region: the newest publications read to find the current ones. */
const RECENT_ALERT_PAGE = 200;

const invalid = (details: ErrorDetail[]) => new AppError('validation_failed', {}, details);

/** A month in Asia/Shanghai (1…12). */
const shanghaiMonth = (now: Date) => new Date(now.getTime() + 8 * 3600_000).getUTCMonth() + 1;

export const toPublic = (id: string, kind: ItemKind, p: PublishedVersion): PublicItem => ({
  id,
  kind,
  version: p.version,
  content: p.content,
  publishedAt: p.publishedAt,
  ...(p.follows ? { follows: p.follows } : {}),
  attachments: p.attachments.map(({ id: aid, name, type, bytes, key }) => ({ id: aid, name, type, bytes, key })),
});

export { alertLines, bySeverity, pathOf, textFor };

export function createKnowledge(deps: KnowledgeDeps): KnowledgeService {
  const { settings } = deps;
  let composer: Promise<SummaryComposer> | undefined;
  const composerOf = () => {
    composer ??= deps.toWylie().then((toWylie) => ({ signature: deps.signature, toWylie }));
    return composer;
  };
  const checksOf = async (kind: ItemKind, versions: ItemContent['versions']) =>
    checkSummaries(kind, versions, await composerOf(), settings);

  const audit = (acting: Acting, action: string, item: Item, detail?: Record<string, string | number | boolean>) =>
    deps.audit.record(
      auditEntry(
        {
          actor: acting.actor.phone,
          action: `knowledge.${action}`,
          target: item.id,
          regions: [...item.content.regions],
          outcome: 'ok',
          detail: { kind: item.kind, version: item.version, ...detail },
          ...(acting.requestId ? { requestId: acting.requestId } : {}),
        },
        deps.now(),
      ),
    );

  const load = async (id: string): Promise<Item> => {
    const item = isItemId(id) ? await deps.store.get(id) : undefined;
    if (!item) throw new AppError('not_found', { id });
    return item;
  };

  /** Validated content (forbidden first: regions out of the editor's scope), summaries within their limits. */
  const checked = async (acting: Acting, kind: ItemKind, input: ItemInput): Promise<ItemContent> => {
    const { content, problems } = validateItem(kind, input, await deps.catalog());
    await guard(deps, acting, 'content.edit', content.regions.length ? content.regions : []);
    problems.push(...summaryProblems(await checksOf(kind, content.versions)));
    if (problems.length) throw invalid(problems);
    return content;
  };

  /** A reviewer of `language` in every region of the item. */
  const reviewerOf = async (acting: Acting, item: Item, language: ReviewedLanguage) => {
    await guard(deps, acting, 'content.review', item.content.regions);
    if (!languagesWith(acting.actor, 'content.review').has(language))
      throw refusal('wrongLanguage', { language }, 'forbidden');
  };

  /** Regions a broadcast can name: '*' is every prefecture. */
  const broadcastRegions = async (regions: readonly string[]) => {
    if (!regions.includes(ALL_REGIONS)) return [...regions];
    const catalog = await deps.catalog();
    return [...catalog.regions.values()].filter((r) => r.level === 'prefecture').map((r) => r.id);
  };

  /**
   * After a publication was saved: the public indexes (idempotent), then the broadcast draft
   * when asked for (one per version: a replay returns the first).
   */
  const afterPublish = async (acting: Acting, item: Item, urgent: boolean, first = true): Promise<Item> => {
    await deps.store.publish(item);
    if (first)
      await audit(
        acting,
        urgent ? 'publish_urgent' : 'publish',
        item,
        urgent ? { language: urgentLanguage(item) } : {},
      );
    const p = item.published;
    const fields = item.content.fields;
    if (!p || !item.broadcast || fields.kind === 'guide') return item;
    const texts: Partial<Record<Language, string>> = {};
    for (const [l, v] of Object.entries(p.content.versions)) if (v?.summary) texts[l as Language] = bareText(v.summary);
    const topic = fields.kind === 'alert' ? fields.alertKind : fields.topic;
    try {
      const b = await deps.broadcasts.draftFrom(
        { kind: fields.kind, id: item.id, version: p.version },
        {
          audience: { regions: await broadcastRegions(p.content.regions), topics: topic ? [topic] : [], languages: [] },
          texts,
        },
        acting.actor.phone,
        { throughQuietHours: fields.kind === 'alert' && breaksQuietHours(fields.severity) },
      );
      return await deps.store.save({ ...item, broadcastId: b.id });
    } catch (err) {
      // The publication stands; the broadcast can be composed by hand from the item's page.
      deps.log({ level: 'error', msg: 'broadcast draft of a publication failed', id: item.id, err: String(err) });
      return item;
    }
  };
  /** Reruns a publication's idempotent steps (indexes; the broadcast draft when one is asked for and missing). */
  const finishPublication = async (item: Item): Promise<Item> => {
    const p = item.published!;
    const by = Object.values(p.approvals).at(-1)?.by ?? item.createdBy;
    const publisher: Acting = { actor: { phone: by, grants: [], configAdmin: false } };
    if (item.broadcast && !item.broadcastId) return afterPublish(publisher, item, p.follows !== undefined, false);
    await deps.store.publish(item);
    return item;
  };
  const urgentLanguage = (item: Item) => (item.content.fields.kind === 'alert' ? item.content.fields.mainLanguage : '');

  const viewOf = async (acting: Acting, item: Item): Promise<ItemView> => {
    const regions = item.content.regions;
    const every = async (permission: 'content.edit' | 'content.review') => {
      for (const r of regions) if (!(await deps.authz.can(acting.actor, permission, r))) return false;
      return true;
    };
    const [canEdit, canReview] = await Promise.all([every('content.edit'), every('content.review')]);
    if (!canEdit && !canReview) await guard(deps, acting, 'content.edit', regions);
    const me = acting.actor.phone;
    const author = item.authors.includes(me);
    const langs = languagesWith(acting.actor, 'content.review');
    const open = item.status !== 'archived';
    const approve = (['bo', 'zh'] as const).filter((l) => {
      if (!canReview || author || item.status !== 'in_review' || !langs.has(l)) return false;
      const mine = item.reviews[l];
      const theirs = item.reviews[l === 'bo' ? 'zh' : 'bo'];
      if (mine.state === 'approved' && mine.version === item.version) return false;
      return !(theirs.state === 'approved' && theirs.version === item.version && theirs.by === me);
    });
    const f = item.content.fields;
    return {
      item,
      checks: await checksOf(item.kind, item.content.versions),
      may: {
        edit: canEdit && open,
        submit: canEdit && item.status === 'draft',
        approve,
        publishUrgent:
          f.kind === 'alert' &&
          f.urgent &&
          canReview &&
          !author &&
          langs.has(f.mainLanguage) &&
          (item.status === 'draft' || item.status === 'in_review') &&
          !(item.published?.version === item.version),
        archive: canEdit && open,
        attach: canEdit && open && deps.files !== undefined && item.attachments.length < MAX_ATTACHMENTS,
      },
    };
  };

  const tipLines = async (subscriber: Subscriber, commodityId: string, n: number, now: Date) => {
    const catalog = await deps.catalog();
    const lang = subscriber.language;
    const commodityName = (id: string) => {
      const c = catalog.commodities.get(id);
      return c ? smsName(c.names, lang) : id;
    };
    const home = pathOf(catalog, subscriber.homeRegionId).slice(0, 2);
    const month = shanghaiMonth(now);
    const ranked = rankTips(await deps.store.tipEntries(commodityId, month), home, month).filter(
      (e) => textFor(e.summaries, lang) !== undefined,
    );
    const lines: Array<ReplyLine & { optional?: boolean }> = [];
    const entry: TipEntry | undefined = ranked[n - 1];
    if (!entry) {
      if (ranked.length > 0)
        return [{ key: 'tip.noMore', params: { commodity: commodityName(commodityId), count: ranked.length } }];
      const counts = await deps.store.guideCounts();
      const others = Object.entries(counts)
        .filter(([id, count]) => id !== commodityId && count > 0 && catalog.commodities.has(id))
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 5)
        .map(([id]) => commodityName(id));
      return others.length
        ? [
            {
              key: 'tip.none',
              params: { commodity: commodityName(commodityId), list: listNames(lang, others) },
            },
          ]
        : [{ key: 'tip.noneAtAll', params: { commodity: commodityName(commodityId) } }];
    }
    lines.push({ key: 'tip.reply', params: { summary: bareText(textFor(entry.summaries, lang)!) } });
    if (ranked.length > n)
      lines.push({ key: 'tip.next', params: { commodity: commodityName(commodityId), n: n + 1 }, optional: true });
    if (home.length === 0) lines.push({ key: 'tip.joinHint', optional: true });
    return lines;
  };

  const service: KnowledgeService = {
    async create(acting, kind, input, requestId) {
      const content = await checked(acting, kind, input);
      const now = deps.now();
      for (let attempt = 1; ; attempt++) {
        const id = requestId ? itemIdFor(kind, `${acting.actor.phone}\n${requestId}`) : newItemId(kind, now);
        const at = now.toISOString();
        const item: Item = {
          id,
          kind,
          status: 'draft',
          version: 1,
          content,
          reviews: review.freshReviews(),
          authors: [acting.actor.phone],
          attachments: [],
          ...(input.broadcast !== undefined && kind !== 'guide' ? { broadcast: input.broadcast === true } : {}),
          createdBy: acting.actor.phone,
          createdAt: at,
          updatedAt: at,
          seq: 0,
        };
        if (await deps.store.create(item)) {
          const stored = (await deps.store.get(id)) ?? item;
          await audit(acting, 'create', stored);
          return stored;
        }
        if (requestId) {
          const earlier = await deps.store.get(id);
          if (earlier) return earlier;
        }
        if (attempt >= ID_ATTEMPTS) throw new AppError('conflict');
      }
    },

    async update(acting, id, input, seq) {
      const item = await load(id);
      await guard(deps, acting, 'content.edit', item.content.regions);
      const content = await checked(acting, item.kind, input);
      if (seq !== undefined && seq !== item.seq) throw new AppError('conflict', { seq: item.seq });
      const broadcast = item.kind === 'guide' || input.broadcast === undefined ? undefined : input.broadcast === true;
      const next = review.edit(item, content, acting.actor.phone, deps.now(), broadcast);
      if (next === item) return item;
      const saved = await deps.store.save(next);
      await audit(acting, 'update', saved, {
        correction: item.status === 'published' && saved.status === 'draft',
        bo: saved.reviews.bo.state,
        zh: saved.reviews.zh.state,
      });
      return saved;
    },

    async submit(acting, id) {
      const item = await load(id);
      await guard(deps, acting, 'content.edit', item.content.regions);
      if (item.status !== 'draft') throw review.wrongStatus(item.status);
      const problems = [
        ...missingAtSubmit(item.content),
        ...summaryProblems(await checksOf(item.kind, item.content.versions)),
      ];
      if (problems.length) throw invalid(problems);
      const saved = await deps.store.save(review.submit(item, deps.now()));
      await audit(acting, 'submit', saved);
      return saved;
    },

    async archive(acting, id) {
      const item = await load(id);
      await guard(deps, acting, 'content.edit', item.content.regions);
      const saved = await deps.store.save(review.archive(item, deps.now()));
      await deps.store.unpublish(saved);
      await audit(acting, 'archive', saved);
      return saved;
    },

    async get(acting, id) {
      return viewOf(acting, await load(id));
    },

    async list(acting, query) {
      const mine = new Set([
        ...regionsWith(acting.actor, 'content.edit'),
        ...regionsWith(acting.actor, 'content.review'),
      ]);
      const region = query.region ?? (mine.has(ALL_REGIONS) ? ALL_REGIONS : [...mine][0]);
      if (!region) throw new AppError('forbidden');
      const may =
        (await deps.authz.can(acting.actor, 'content.edit', region)) ||
        (await deps.authz.can(acting.actor, 'content.review', region));
      if (!may) await guard(deps, acting, 'content.edit', [region]);
      return deps.store.listStaff(query.kind, query.status, region, {
        limit: Math.min(Math.max(query.limit ?? 50, 1), 100),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
    },

    checkSummaries: (kind, versions) => checksOf(kind, versions),

    async approve(acting, id, language, version) {
      const item = await load(id);
      await reviewerOf(acting, item, language);
      // The retry of an approval that published: the publication was saved, but a crash may have
      // cut off its public indexes or its broadcast draft. Both are idempotent: finish them.
      if (
        item.status === 'published' &&
        item.published?.version === version &&
        item.published.approvals[language]?.by === acting.actor.phone
      )
        return finishPublication(item);
      const { item: next, published } = review.approve(item, language, acting.actor.phone, version, deps.now());
      if (next === item) return item;
      const saved = await deps.store.save(next);
      await audit(acting, 'approve', saved, { language });
      return published ? afterPublish(acting, saved, false) : saved;
    },

    async publishUrgent(acting, id, version) {
      const item = await load(id);
      const f = item.content.fields;
      if (f.kind !== 'alert' || !f.urgent) throw refusal('notUrgent');
      await reviewerOf(acting, item, f.mainLanguage);
      const main = item.content.versions[f.mainLanguage];
      const problems: ErrorDetail[] =
        main?.title && main.body && main.summary
          ? []
          : [
              knowledgeProblem(`versions.${f.mainLanguage}`, 'missingLanguage', 'the main language', {
                language: f.mainLanguage,
              }),
            ];
      problems.push(...summaryProblems(await checksOf(item.kind, item.content.versions)));
      if (problems.length) throw invalid(problems);
      if (
        item.status === 'published' &&
        item.published?.version === version &&
        item.published.approvals[f.mainLanguage]?.by === acting.actor.phone
      )
        return finishPublication(item);
      const saved = await deps.store.save(review.publishUrgent(item, acting.actor.phone, version, deps.now()));
      return afterPublish(acting, saved, true);
    },

    async startUpload(acting, id, redirect) {
      const files = deps.files;
      if (!files) throw new AppError('unavailable');
      const item = await load(id);
      await guard(deps, acting, 'content.edit', item.content.regions);
      if (item.status === 'archived') throw review.wrongStatus(item.status);
      if (item.attachments.length >= MAX_ATTACHMENTS) throw refusal('tooManyAttachments', { max: MAX_ATTACHMENTS });
      const uploadId = `${item.id}-${newAttachmentId(deps.now())}`;
      const post = await files.presignUpload({
        uploadId,
        maxBytes: MAX_ATTACHMENT_BYTES,
        expiresSeconds: UPLOAD_SECONDS,
        redirect,
      });
      return { url: post.url, fields: post.fields, uploadId };
    },

    async finishUpload(acting, id, uploadId, name) {
      const files = deps.files;
      if (!files) throw new AppError('unavailable');
      const [owner, attachmentId] = uploadId.split('-');
      if (owner !== id || !attachmentId || !isAttachmentId(attachmentId))
        throw new AppError('not_found', { id: uploadId });
      const item = await load(id);
      await guard(deps, acting, 'content.edit', item.content.regions);
      if (item.attachments.some((a) => a.id === attachmentId)) return item; // (S3's redirect followed twice)
      if (item.status === 'archived') throw review.wrongStatus(item.status);
      if (item.attachments.length >= MAX_ATTACHMENTS) throw refusal('tooManyAttachments', { max: MAX_ATTACHMENTS });
      const key = `uploads/${uploadId}`;
      const seen = await files.inspect(key, SNIFF_BYTES);
      if (!seen) throw invalid([knowledgeProblem('file', 'uploadMissing', 'the upload did not arrive')]);
      if (seen.bytes > MAX_ATTACHMENT_BYTES) {
        await files.delete(key);
        throw invalid([knowledgeProblem('file', 'fileTooBig', 'over 5 MB', { max: '5 MB' })]);
      }
      const type = sniffType(seen.head);
      if (!type) {
        await files.delete(key);
        throw invalid([knowledgeProblem('file', 'fileType', 'JPEG, PNG, WebP or PDF only')]);
      }
      const finalKey = `attachments/${item.id}/${attachmentId}.${extensionOf[type]}`;
      await files.keep(key, finalKey, type);
      const cleanName =
        (name.split(/[\\/]/u).pop() ?? '')
          .normalize('NFC')
          .replace(/[\p{Cc}\p{Cf}]/gu, '')
          .trim()
          .slice(0, 120) || `${attachmentId}.${extensionOf[type]}`;
      const attachment: Attachment = {
        id: attachmentId,
        name: cleanName,
        type,
        bytes: seen.bytes,
        key: finalKey,
        addedBy: acting.actor.phone,
        addedAt: deps.now().toISOString(),
      };
      const saved = await deps.store.save({
        ...item,
        attachments: [...item.attachments, attachment],
        updatedAt: deps.now().toISOString(),
      });
      await audit(acting, 'attach', saved, { attachment: attachmentId, type, bytes: seen.bytes });
      return saved;
    },

    async removeAttachment(acting, id, attachmentId) {
      const item = await load(id);
      await guard(deps, acting, 'content.edit', item.content.regions);
      const gone = item.attachments.find((a) => a.id === attachmentId);
      if (!gone) throw new AppError('not_found', { id: attachmentId });
      const saved = await deps.store.save({
        ...item,
        attachments: item.attachments.filter((a) => a.id !== attachmentId),
        updatedAt: deps.now().toISOString(),
      });
      // A published version keeps its files: it never changes.
      if (deps.files && !item.published?.attachments.some((a) => a.id === attachmentId))
        await deps.files.delete(gone.key);
      await audit(acting, 'detach', saved, { attachment: attachmentId });
      return saved;
    },

    publicGet: (id) => (isItemId(id) ? deps.store.getPublished(id) : Promise.resolve(undefined)),

    async publicVersion(id, version) {
      const kind = kindOfId(id);
      if (!kind || !Number.isInteger(version) || version < 1) return undefined;
      // Archived items are gone from the public, every version of them.
      const [current, p] = await Promise.all([deps.store.getPublished(id), deps.store.publishedVersion(id, version)]);
      return current && p ? toPublic(id, kind, p) : undefined;
    },

    async guides(query) {
      if (!query.commodityId) return { items: [] };
      const page = await deps.store.guides(
        query.commodityId,
        { ...(query.stage ? { stage: query.stage } : {}), ...(query.month ? { month: query.month } : {}) },
        { limit: Math.min(Math.max(query.limit ?? 20, 1), 100), ...(query.cursor ? { cursor: query.cursor } : {}) },
      );
      if (!query.regionId) return page;
      const catalog = await deps.catalog();
      const regionId = query.regionId;
      return {
        ...page,
        items: page.items.filter((g) =>
          g.content.regions.some((r) => r === ALL_REGIONS || isWithin(catalog, regionId, r)),
        ),
      };
    },

    guideCommodities: () => deps.store.guideCounts(),

    bulletins: (query) =>
      deps.store.bulletins(query.regionId ?? ALL_REGIONS, {
        limit: Math.min(Math.max(query.limit ?? 20, 1), 100),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      }),

    async alerts({ regionId, now }) {
      const at = now.toISOString();
      let list: PublicItem[];
      if (regionId) {
        const path = pathOf(await deps.catalog(), regionId);
        list = await deps.store.currentAlerts([...(path.length ? path : [regionId]), ALL_REGIONS], now);
      } else {
        const page = await deps.store.recentAlerts({ limit: RECENT_ALERT_PAGE });
        list = page.items;
      }
      return list.filter((a) => a.content.fields.kind === 'alert' && a.content.fields.expires > at).sort(bySeverity);
    },

    tip: (subscriber, commodityId, n, now) => tipLines(subscriber, commodityId, n, now),

    async currentAlertLines(subscriber, now) {
      const catalog = await deps.catalog();
      const home = pathOf(catalog, subscriber.homeRegionId);
      if (home.length === 0) return [{ key: 'alerts.noHome' }];
      const at = now.toISOString();
      const current = (await deps.store.currentAlerts([...home, ALL_REGIONS], now))
        .filter((a) => a.content.fields.kind === 'alert' && a.content.fields.expires > at)
        .sort(bySeverity);
      return alertLines(current, subscriber.language);
    },

    async guideFromQuestion(acting, code, input) {
      const question = await deps.questions.get(code);
      if (!question) throw new AppError('not_found', { id: code });
      if (question.status !== 'answered') throw refusal('status', { status: question.status });
      // Its region scope: the asker's county (everywhere when unknown).
      const regions = question.regionPath.length ? [question.regionPath[0]!] : [ALL_REGIONS];
      const asked = question.messages.filter((m) => m.from === 'farmer').map((m) => anonymise(m.text));
      const answered = question.messages.filter((m) => m.from === 'expert').map((m) => anonymise(m.text));
      const lang = question.language;
      const title = (asked[0] ?? '').slice(0, 80);
      const body = [...asked.map((t) => `— ${t}`), '', ...answered].join('\n');
      const summary = (answered[answered.length - 1] ?? '').slice(0, 140);
      const month = shanghaiMonth(deps.now());
      // The draft is incomplete on purpose (the other language, perhaps the summary's length):
      // the editor finishes it and it goes through the same review. Checked for scope only.
      await guard(deps, acting, 'content.edit', regions);
      const catalog = await deps.catalog();
      if (!catalog.commodities.has(input.commodityId))
        throw invalid([
          knowledgeProblem('fields.commodityId', 'unknownCommodity', 'unknown commodity', {
            commodity: input.commodityId,
          }),
        ]);
      const content: ItemContent = {
        regions,
        fields: {
          kind: 'guide',
          commodityId: input.commodityId,
          stage: input.stage,
          topic: 'technique',
          months: [month],
        },
        versions: { [lang]: { title, body, summary } },
      };
      const now = deps.now();
      const id = itemIdFor('guide', `question\n${question.code}\n${question.askedAt}`);
      const at = now.toISOString();
      const item: Item = {
        id,
        kind: 'guide',
        status: 'draft',
        version: 1,
        content,
        reviews: review.freshReviews(),
        authors: [acting.actor.phone],
        attachments: [],
        fromQuestion: question.code,
        createdBy: acting.actor.phone,
        createdAt: at,
        updatedAt: at,
        seq: 0,
      };
      const made = (await deps.store.create(item)) ? item : await deps.store.get(id);
      if (!made) throw new AppError('conflict');
      if (question.guideId !== id) await deps.questions.save({ ...question, status: 'closed', guideId: id });
      const stored = (await deps.store.get(id)) ?? made;
      await audit(acting, 'create', stored, { fromQuestion: question.code });
      await deps.audit.record(
        auditEntry(
          {
            actor: acting.actor.phone,
            action: 'question.to_guide',
            target: question.code,
            ...(question.regionPath.length ? { regions: [...question.regionPath] } : {}),
            outcome: 'ok',
            detail: { guide: id },
            ...(acting.requestId ? { requestId: acting.requestId } : {}),
          },
          deps.now(),
        ),
      );
      return stored;
    },
  };
  return service;
}

export type { SummaryCheck };
