/** What the knowledge library needs from the outside world: its stores and the files bucket. */
import type { Page, PageRequest } from '../paging.ts';
import type { Language } from '../reference/schemas.ts';
import type {
  AttachmentType,
  Item,
  ItemKind,
  ItemStatus,
  ItemSummary,
  PublicItem,
  PublishedVersion,
  Stage,
  TipEntry,
} from './item.ts';
import type { Question, QuestionLevel, QuestionStat, QuestionSummary } from './question.ts';

export interface KnowledgeStore {
  /** Creates an item (and its staff-list entries); false when the id exists. */
  create(item: Item): Promise<boolean>;
  get(id: string): Promise<Item | undefined>;
  /**
   * Saves if the stored `seq` is `item.seq` (AppError `conflict` otherwise) and returns it with
   * `seq` + 1. Keeps the staff lists (kind × status × each region of the item's regions and
   * their ancestors, and '*') in step.
   */
  save(item: Item): Promise<Item>;
  /**
   * Writes `item.published` as the immutable version record (a conditional put: a replay
   * changes nothing) and the public indexes: the kind's public list per region (and '*'), a
   * guide's TIP entries (one per month) and the per-commodity guide count, an alert's per-region
   * entries (sorted by expiry). The previous version's index entries are replaced. Idempotent:
   * the service calls it after `save` and again when a crash left it half done.
   */
  publish(item: Item): Promise<void>;
  /** Removes the public index entries of the item (archive). Idempotent. */
  unpublish(item: Item): Promise<void>;
  /** A published version as it was (history, print view of an older version). */
  publishedVersion(id: string, version: number): Promise<PublishedVersion | undefined>;
  /** Staff lists: a region's (or '*') items of a kind in a status, newest change first. 1 Query per page. */
  listStaff(kind: ItemKind, status: ItemStatus, regionId: string, page: PageRequest): Promise<Page<ItemSummary>>;
  /**
   * Published guides of a commodity (optionally one stage), for /guide: 1 Query per page. A
   * month given filters to guides that apply in it.
   */
  guides(commodityId: string, filter: { stage?: Stage; month?: number }, page: PageRequest): Promise<Page<PublicItem>>;
  /** Published bulletins of a region (or '*': all), newest date first. 1 Query per page. */
  bulletins(regionId: string, page: PageRequest): Promise<Page<PublicItem>>;
  /**
   * Published alerts not yet expired at `now` for any of `regionIds` (a county's path: county,
   * prefecture, '*'), each once. One Query per region id.
   */
  currentAlerts(regionIds: readonly string[], now: Date): Promise<PublicItem[]>;
  /** Published alerts of any region, newest first (the feed, and /alerts without a region). 1 Query per page. */
  recentAlerts(page: PageRequest): Promise<Page<PublicItem>>;
  /** The TIP index of a commodity in a month (every region): 1 Query. */
  tipEntries(commodityId: string, month: number): Promise<TipEntry[]>;
  /** Commodity id → number of published guides: 1 GetItem. */
  guideCounts(): Promise<Record<string, number>>;
  /** Public reads by id, published items only (`undefined` for drafts and archived). 1 GetItem. */
  getPublished(id: string): Promise<PublicItem | undefined>;
}

export interface QueueFilter {
  commodityId?: string;
  language?: Language;
  /** Only questions waiting at least this many hours. */
  olderThanHours?: number;
  level?: QuestionLevel;
  status?: 'open' | 'answered';
}

export interface QuestionStore {
  /**
   * Creates a question, once per `idempotencyKey` (the inbound message id): a replay answers
   * the question the first try made (`created: false`). A clash of codes is refused with
   * `undefined`, and the caller draws another code.
   */
  create(question: Question, idempotencyKey: string): Promise<{ question: Question; created: boolean } | undefined>;
  get(code: string): Promise<Question | undefined>;
  /**
   * Saves if the stored `version` is `question.version` (AppError `conflict` otherwise), with
   * the version + 1. Keeps the queue entries in step: an open question is listed under each
   * region of its path and '*', oldest wait first; answered ones under `answered` lists; the
   * escalation index (by `dueAt`) holds open questions below level 3.
   */
  save(question: Question): Promise<Question>;
  /** The experts' queue of a region (or '*'): 1 Query per page, oldest wait first. */
  queue(regionId: string, filter: QueueFilter, page: PageRequest, now: Date): Promise<Page<QuestionSummary>>;
  /** Open questions whose `dueAt` ≤ now, oldest first: the escalation job's work. 1 Query per page. */
  due(now: Date, page: PageRequest): Promise<Page<QuestionSummary>>;
  /** Every question asked in [from, to) (ISO instants) for the dashboard. 1 Query per month per page. */
  stats(from: string, to: string): Promise<QuestionStat[]>;
  /**
   * DELETE ME: the number's questions are closed and their text, audio keys and phone erased.
   * `beforeErase` runs on each question before it is (a rerun after a crash runs it again).
   */
  eraseNumber(phone: string, beforeErase?: (question: Question) => Promise<void>): Promise<number>;
  /**
   * The number's recorded answers not heard yet, oldest first: one Query of the phone index,
   * whose entries every save rewrites with the question's unheard answers.
   */
  unheardAnswers(phone: string): Promise<Array<{ code: string; audioKey: string; at: string }>>;
}

/** Voice audio in the files bucket, as questions need it (DELETE ME deletes the number's recordings). */
export interface QuestionAudio {
  delete(key: string): Promise<void>;
}

/** The files bucket (S3; s3rver locally): attachments arrive by presigned POST, straight from the browser. */
export interface AttachmentFiles {
  /**
   * A presigned POST for one upload under `uploads/<uploadId>`: size at most `maxBytes`
   * (the policy's content-length-range), valid `expiresSeconds`. The form posts the file and
   * these fields to `url`; S3 redirects the browser to `redirect` (with bucket, key, etag).
   */
  presignUpload(input: {
    uploadId: string;
    maxBytes: number;
    expiresSeconds: number;
    redirect: string;
  }): Promise<{ url: string; fields: Record<string, string>; key: string }>;
  /** Size and the first bytes of an uploaded object (for the type check); undefined when absent. */
  inspect(key: string, firstBytes: number): Promise<{ bytes: number; head: Uint8Array } | undefined>;
  /** Moves an upload to its final key (copy, then delete the upload), with its content type. */
  keep(fromKey: string, toKey: string, type: AttachmentType): Promise<void>;
  delete(key: string): Promise<void>;
  /** Uploads older than `olderThan` (never completed into an item): the cleanup job removes them. */
  staleUploads(olderThan: Date): Promise<string[]>;
  /** A URL the public may fetch the file at (CloudFront `/files/<key>` in AWS; the app's `/files/<key>` locally). */
  publicUrl(key: string): string;
  /** Reads a file (the local `/files/*` route; AWS serves them through CloudFront). */
  read(key: string): Promise<{ body: Uint8Array; type: string } | undefined>;
}
