/**
 * The knowledge library's items: guides (by commodity, production stage, topic, regions and
 * months), technical bulletins (dated) and alerts (weather, pest, disease, market; with
 * severity, area, onset and expiry). Each item has a text per language (bo and zh required,
 * en optional) that a Tibetan reader and a Chinese reader review separately; docs/knowledge.md
 * tells the whole workflow. Plain data: what the store keeps and the pages, the API and the
 * SMS commands read.
 */
import type { Language } from '../reference/schemas.ts';

export const itemKinds = ['guide', 'bulletin', 'alert'] as const;
export type ItemKind = (typeof itemKinds)[number];

/** Production stage: before (inputs, seed, outlook), during (technique, pests, weather), after (storage, selling). */
export const stages = ['before', 'during', 'after'] as const;
export type Stage = (typeof stages)[number];

export const guideTopics = [
  'seed_inputs',
  'market_outlook',
  'technique',
  'pests_disease',
  'weather',
  'storage',
  'selling',
] as const;
export type GuideTopic = (typeof guideTopics)[number];

/** Alert kinds; each is also the broadcast topic its SMS goes to (SUB WEATHER, SUB PEST, SUB DISEASE, SUB MARKET). */
export const alertKinds = ['weather', 'pest', 'disease', 'market'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** CAP 1.2 severities, mildest first (the order "severest first" sorts by, reversed). */
export const severities = ['minor', 'moderate', 'severe', 'extreme'] as const;
export type Severity = (typeof severities)[number];
export const severityRank = (s: Severity): number => severities.indexOf(s);

/** A severe or extreme alert's broadcast may go through quiet hours. */
export const breaksQuietHours = (s: Severity): boolean => s === 'severe' || s === 'extreme';

/** The languages every item must have, each approved by its own reviewer before publication. */
export const reviewedLanguages = ['bo', 'zh'] as const;
export type ReviewedLanguage = (typeof reviewedLanguages)[number];

/** One language's version of an item. */
export interface VersionText {
  title: string;
  body: string;
  /** The SMS text (TIP's reply, an alert's or a bulletin's broadcast): at most 2 segments per script. */
  summary: string;
  /** Alerts: what to do (CAP `<instruction>`). */
  instruction?: string;
}
export type Versions = Partial<Record<Language, VersionText>>;

export interface GuideFields {
  kind: 'guide';
  /** A commodity id of the catalog (a crop or livestock product). */
  commodityId: string;
  stage: Stage;
  topic: GuideTopic;
  /** 1…12, the months it applies to; sorted, distinct, at least one. */
  months: number[];
}

export interface BulletinFields {
  kind: 'bulletin';
  /** Asia/Shanghai YYYY-MM-DD. */
  date: string;
  /** The broadcast topic its SMS goes to; absent: everyone in its regions. */
  topic?: AlertKind;
}

export interface AlertFields {
  kind: 'alert';
  alertKind: AlertKind;
  severity: Severity;
  /** ISO 8601 instants; expires > onset. */
  onset: string;
  expires: string;
  /** May be published by one reviewer of `mainLanguage`; the other language follows as a correction. */
  urgent: boolean;
  mainLanguage: ReviewedLanguage;
}

export type ItemFields = GuideFields | BulletinFields | AlertFields;

/** What a version of an item is: everything a reviewer approves and a reader sees. */
export interface ItemContent {
  /** Region ids (a prefecture covers its counties); '*' for all of them. Normalised: none under another. */
  regions: string[];
  fields: ItemFields;
  versions: Versions;
}

/**
 * A language's review of the working version:
 * - pending: not yet approved (or the approval was of text that changed);
 * - approved: by `by`, of `version`;
 * - needs_update: the other language's text changed after this one was approved — its
 *   approval is withdrawn and its text may need the same change (Weblate's "needs editing").
 */
export type ReviewState = 'pending' | 'approved' | 'needs_update';
export interface LanguageReview {
  state: ReviewState;
  by?: string;
  at?: string;
  /** The item version the approval was of. */
  version?: number;
}

/** The four states of the working version. `published` also means: the working version is the published one. */
export const itemStatuses = ['draft', 'in_review', 'published', 'archived'] as const;
export type ItemStatus = (typeof itemStatuses)[number];

/** Image and PDF attachments, checked by content, at most 5 MB. */
export const attachmentTypes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 10;

export interface Attachment {
  /** `f` + 10 base32 characters. */
  id: string;
  /** The file's name as uploaded (shown as the link text; never used as a key). */
  name: string;
  type: AttachmentType;
  bytes: number;
  /** The object key under the files bucket: `attachments/<itemId>/<id>.<ext>`. */
  key: string;
  addedBy: string;
  addedAt: string;
}

/** A published version, never changed once written (a correction is a new version). */
export interface PublishedVersion {
  version: number;
  content: ItemContent;
  publishedAt: string;
  /** The reviewer of each language whose approval published it (urgent alerts: one). */
  approvals: Partial<Record<ReviewedLanguage, { by: string; at: string }>>;
  /** Urgent alerts: the languages that follow as a correction (not yet reviewed, left out of `content.versions`). */
  follows?: ReviewedLanguage[];
  attachments: Attachment[];
}

export interface Item {
  /** `g…` guide, `n…` bulletin, `a…` alert: the kind's letter + 10 base32 characters (time-ordered). */
  id: string;
  kind: ItemKind;
  status: ItemStatus;
  /** The working version's number: 1 on create, +1 on every change of its content. */
  version: number;
  /** The working version. */
  content: ItemContent;
  reviews: Record<ReviewedLanguage, LanguageReview>;
  /** Who changed the working version since it was last published: none of them may approve it. */
  authors: string[];
  attachments: Attachment[];
  /** The latest published version, while the item is not archived (public readers see only this). */
  published?: PublishedVersion;
  /** Alerts and bulletins: on publication, draft a broadcast of its summary to its regions and topic. */
  broadcast?: boolean;
  /** The broadcast drafted from the latest publication. */
  broadcastId?: string;
  /** A guide made from an answered question. */
  fromQuestion?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: the store saves only over the `seq` it read. */
  seq: number;
}

/** A row of a staff list (drafts, a review queue). */
export interface ItemSummary {
  id: string;
  kind: ItemKind;
  status: ItemStatus;
  version: number;
  regions: string[];
  /** Titles per language of the working version. */
  titles: Partial<Record<Language, string>>;
  reviews: Record<ReviewedLanguage, ReviewState>;
  updatedAt: string;
  createdBy: string;
}

/** A published item as the public reads it (no staff detail: no authors' phones). */
export interface PublicItem {
  id: string;
  kind: ItemKind;
  version: number;
  content: ItemContent;
  publishedAt: string;
  follows?: ReviewedLanguage[];
  attachments: Array<Pick<Attachment, 'id' | 'name' | 'type' | 'bytes' | 'key'>>;
}

/**
 * A published guide's entry in the TIP index (one per month it applies to): enough to choose
 * and answer without reading the guide.
 */
export interface TipEntry {
  guideId: string;
  version: number;
  commodityId: string;
  stage: Stage;
  topic: GuideTopic;
  regions: string[];
  months: number[];
  summaries: Partial<Record<Language, string>>;
  publishedAt: string;
}
