/**
 * The knowledge library and the experts' questions as the pages, the API, the SMS commands and
 * the jobs call them (createKnowledge in ./knowledge.ts and createQuestions in ./questions.ts
 * build them). Every staff use-case authorizes (region scope; `content.edit` to write,
 * `content.review` plus the language to approve, `advice.answer` for questions) and audit-logs
 * itself. Refusals throw AppError: `validation_failed` with field details (message keys of
 * `errors:knowledge.*`), `forbidden`, `not_found`, `conflict` (a state that does not allow the
 * step, with `{ status }`).
 */
import type { Page } from '../paging.ts';
import type { Language } from '../reference/schemas.ts';
import type { ReplyLine } from '../sms/messages.ts';
import type { Acting } from '../staff/guard.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import type {
  Item,
  ItemContent,
  ItemFields,
  ItemKind,
  ItemStatus,
  ItemSummary,
  PublicItem,
  ReviewedLanguage,
  Stage,
  Versions,
} from './item.ts';
import type { QueueFilter } from './ports.ts';
import type { Question, QuestionSummary } from './question.ts';

/** What a form or an API body gives (POST /api/v1/{guides|bulletins|alerts}); validated by the service. */
export interface ItemInput {
  regions: string[];
  fields: ItemFields;
  versions: Versions;
  /** Alerts and bulletins: draft a broadcast of the summary on publication. */
  broadcast?: boolean;
}

/** Segments of a summary per script group, as the editor sees them while typing (and the refusal counts). */
export interface SummaryCheck {
  language: Language;
  /** bo: tibetan and wylie; zh, en: one each. */
  groups: Array<{ group: 'bo-tibetan' | 'bo-wylie' | 'zh' | 'en'; segments: number; limit: number; fits: boolean }>;
}

/** An item as a staff page shows it: what the viewer may do next. */
export interface ItemView {
  item: Item;
  checks: SummaryCheck[];
  may: {
    edit: boolean;
    submit: boolean;
    /** The languages this viewer may approve now. */
    approve: ReviewedLanguage[];
    /** Urgent alerts: one reviewer of the main language publishes. */
    publishUrgent: boolean;
    archive: boolean;
    attach: boolean;
  };
}

export interface PublicGuideQuery {
  commodityId?: string;
  stage?: Stage;
  month?: number;
  /** A region id: guides for it, its ancestors and everywhere (filtered from the commodity's list). */
  regionId?: string;
  cursor?: string;
  limit?: number;
}

export interface KnowledgeService {
  // ── Staff: editors (content.edit in every region of the item) ──
  /** A draft (version 1). `requestId` makes a resubmitted form or an API retry one item. */
  create(acting: Acting, kind: ItemKind, input: ItemInput, requestId?: string): Promise<Item>;
  /**
   * Changes the working version (a draft, one in review, or a published item — then a
   * correction: a new version in draft). Changing one reviewed language's text withdraws its
   * own approval and marks the other's approval `needs_update`; changing the shared fields
   * (regions, months, severity …) withdraws both. `seq` guards against a lost update.
   */
  update(acting: Acting, id: string, input: ItemInput, seq?: number): Promise<Item>;
  /** draft → in_review: refused while bo or zh is missing or a summary is over its segments. */
  submit(acting: Acting, id: string): Promise<Item>;
  archive(acting: Acting, id: string): Promise<Item>;
  get(acting: Acting, id: string): Promise<ItemView>;
  /** The drafts, review queues and published lists of the viewer's regions. */
  list(
    acting: Acting,
    query: { kind: ItemKind; status: ItemStatus; region?: string; cursor?: string; limit?: number },
  ): Promise<Page<ItemSummary>>;
  /** Summary segments per script for a version (the form's check, without storing). */
  checkSummaries(kind: ItemKind, versions: Versions): Promise<SummaryCheck[]>;

  // ── Staff: reviewers (content.review, with the language, in every region; never an author) ──
  /**
   * Approves one language of the working version `version` (a stale version is a conflict).
   * When both bo and zh stand approved for the same version by two different people, the item
   * is published (and a broadcast drafted when asked for).
   */
  approve(acting: Acting, id: string, language: ReviewedLanguage, version: number): Promise<Item>;
  /** Urgent alerts: publishes with the main language only, by one reviewer of it; audit-logged as such. */
  publishUrgent(acting: Acting, id: string, version: number): Promise<Item>;

  // ── Attachments (content.edit) ──
  /** A presigned POST for the item's next attachment (≤ 5 MB). */
  startUpload(
    acting: Acting,
    id: string,
    redirect: string,
  ): Promise<{ url: string; fields: Record<string, string>; uploadId: string }>;
  /** After the browser's upload: checks size and type by content, keeps it, adds it to the item. Refused uploads are deleted. */
  finishUpload(acting: Acting, id: string, uploadId: string, name: string): Promise<Item>;
  removeAttachment(acting: Acting, id: string, attachmentId: string): Promise<Item>;

  // ── Public (published items only) ──
  publicGet(id: string): Promise<PublicItem | undefined>;
  publicVersion(id: string, version: number): Promise<PublicItem | undefined>;
  guides(query: PublicGuideQuery): Promise<Page<PublicItem>>;
  /** Commodity id → published guides: what /guide lists first and TIP names on a miss. */
  guideCommodities(): Promise<Record<string, number>>;
  bulletins(query: { regionId?: string; cursor?: string; limit?: number }): Promise<Page<PublicItem>>;
  /** Current alerts for a region (its path and everywhere), severest first; no region: every current alert. */
  alerts(query: { regionId?: string; now: Date }): Promise<PublicItem[]>;

  // ── SMS (the TIP and ALERTS commands) ──
  /**
   * The `n`th (1-based) guide most relevant to the subscriber's home region, this month and its
   * stage: ≤ 2 DynamoDB requests whatever the library size.
   */
  tip(subscriber: Subscriber, commodityId: string, n: number, now: Date): Promise<ReplyLine[]>;
  /** The current alerts for the subscriber's home region, severest first, as reply lines. */
  currentAlertLines(subscriber: Subscriber, now: Date): Promise<ReplyLine[]>;

  // ── Questions → guides ──
  /** An answered question as a draft guide (anonymised: no phone numbers, no code), through the same review. */
  guideFromQuestion(acting: Acting, code: string, input: { commodityId: string; stage: Stage }): Promise<Item>;
}

/** A question as the expert's page shows it: the thread, with the asker's number masked. */
export interface QuestionView {
  question: Omit<Question, 'phone'> & { phone: string /* masked */ };
  /** `answerAudio`: may record an answer (an open question, or onto the latest answer). */
  may: { claim: boolean; answer: boolean; answerAudio: boolean; handOn: boolean; makeGuide: boolean };
}

export interface QuestionFigures {
  /** Asia/Shanghai days, inclusive. */
  from: string;
  to: string;
  asked: number;
  answered: number;
  /** Hours from asking to the first answer; undefined when none answered. */
  medianHours?: number;
  p90Hours?: number;
  escalated: number;
  /** Answered later than `answerWithinHours`, or still open past it. */
  late: number;
  byLevel: Record<'1' | '2' | '3', number>;
}

export interface QuestionService {
  // ── SMS (ASK) ──
  /**
   * A new question, or a follow-up (`code` given: only the asker's own; else "no such question
   * of yours"). Returns the acknowledgement lines (code and expected answer time), or the refusal
   * (usage, daily limit, too long). `messageId` makes a redelivery one question.
   */
  ask(
    subscriber: Subscriber,
    /** `audioKey`: a spoken question (the voice line), its recording in the files bucket; `text` may then be ''. */
    input: { text: string; code?: string; audioKey?: string },
    messageId: string,
    now: Date,
  ): Promise<ReplyLine[]>;

  // ── Staff: experts (advice.answer in the question's region at its level) ──
  queue(
    acting: Acting,
    query: QueueFilter & { region?: string; cursor?: string; limit?: number },
  ): Promise<Page<QuestionSummary>>;
  get(acting: Acting, code: string): Promise<QuestionView>;
  claim(acting: Acting, code: string): Promise<Question>;
  /** The answer goes to the asker by SMS (≤ 2 segments in Tibetan, 1–2 in Chinese; longer is refused). */
  answer(acting: Acting, code: string, text: string): Promise<Question>;
  /**
   * An expert's recorded answer (its audio already in the files bucket), with the same
   * authorization as `answer`: on the latest answer when the question is answered, else as a new
   * answer without text (the text, and its SMS, may follow by `answer`). The caller hears it on
   * their next call to the voice line. Audit-logged.
   */
  answerAudio(acting: Acting, code: string, audioKey: string): Promise<Question>;
  /** Releases a claim and moves the question one level up at once. */
  handOn(acting: Acting, code: string): Promise<Question>;
  /** Segments of an answer text per the asker's script (the form's counter, without sending). */
  checkAnswer(code: string, text: string): Promise<{ segments: number; limit: number; fits: boolean }>;
  figures(acting: Acting, query: { from?: string; to?: string; now: Date }): Promise<QuestionFigures>;

  // ── Voice line (core/voice/ports.ts VoiceQuestions) ──
  /** The number's questions with a recorded answer the caller has not heard yet, oldest first (1 Query: the phone index). */
  unheardAnswers(phone: string): Promise<Array<{ code: string; audioKey: string; at: string }>>;
  /** The caller heard the question's recorded answers: they are not offered again. */
  markAnswerHeard(code: string, at: Date): Promise<void>;

  // ── Jobs ──
  /** Moves every question whose escalation is due one level up (and resets its clock). Idempotent. */
  escalate(now: Date): Promise<{ escalated: number }>;
}

export type { ItemContent };
