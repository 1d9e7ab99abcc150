/**
 * Broadcasts as the staff pages, the API and the jobs call them (createBroadcasts in
 * ./broadcasts.ts builds it). Every staff use-case authorizes (`sms.broadcast` in every region of
 * the audience) and audit-logs itself; refusals throw AppError: `validation_failed` with field
 * details (message keys of `errors:broadcast.*`), `forbidden`, `not_found`, `conflict` (a state
 * that does not allow the step, with `{ status }`).
 */
import type { Page } from '../paging.ts';
import type { Acting } from '../staff/guard.ts';
import type {
  Audience,
  Broadcast,
  BroadcastCounts,
  BroadcastSource,
  BroadcastSummary,
  Preview,
  TemplateRef,
  Texts,
} from './broadcast.ts';

/** What a form or an API body gives; validated by the service (not by the route alone). */
export interface BroadcastInput {
  audience: Audience;
  texts?: Texts;
  template?: TemplateRef;
  /** ISO 8601 with offset (the form sends Asia/Shanghai local time, converted by the route); absent: now. */
  sendAt?: string;
}

/** A broadcast as its page shows it: with its live counts and what the viewer may do next. */
export interface BroadcastView {
  broadcast: Broadcast;
  counts: BroadcastCounts;
  /** The steps open to this viewer now. */
  may: { edit: boolean; approve: boolean; send: boolean; pause: boolean; resume: boolean; cancel: boolean };
  /** True while quiet hours hold a sending broadcast; `until` is when it resumes. */
  quiet?: { until: string };
}

export interface BroadcastListQuery {
  /** A region id, or '*' (default: the viewer's first region, '*' for an everywhere grant). */
  region?: string;
  /** Asia/Shanghai days YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface RunReport {
  broadcastId: string;
  status: Broadcast['status'];
  /** Recipients recorded and queued by this run. */
  queued: number;
  pages: number;
  /** Why nothing was done, when nothing was: quiet, paused, not_due, backlog, finished, cancelled, missing. */
  idle?: string;
}

export interface BroadcastService {
  // ── Staff (operator or editor, in every region of the audience) ──
  /** Counts and renders without storing: the form's preview step. */
  preview(acting: Acting, input: BroadcastInput): Promise<Preview>;
  /** A draft with its preview. `requestId` makes a resubmitted form (or an API retry) one broadcast. */
  create(acting: Acting, input: BroadcastInput, requestId?: string): Promise<Broadcast>;
  /** Changes a draft (anyone who may compose in its regions); an approval is withdrawn by any change. */
  update(acting: Acting, id: string, input: BroadcastInput, version?: number): Promise<Broadcast>;
  get(acting: Acting, id: string): Promise<BroadcastView>;
  list(acting: Acting, query: BroadcastListQuery): Promise<Page<BroadcastSummary>>;
  /** A second staff member (not the author) approves a draft that needs it; twice is a conflict. */
  approve(acting: Acting, id: string): Promise<Broadcast>;
  /**
   * Sends an (approved where needed) draft: now (status sending, the first window queued at
   * once) or at its `sendAt` (status scheduled, a one-time schedule). Refused when the day's
   * budget cannot carry it, or when `sendAt` has passed.
   */
  send(acting: Acting, id: string): Promise<Broadcast>;
  pause(acting: Acting, id: string): Promise<Broadcast>;
  resume(acting: Acting, id: string): Promise<Broadcast>;
  /** Cancels a draft, scheduled, sending or paused broadcast; finished or cancelled: conflict. */
  cancel(acting: Acting, id: string): Promise<Broadcast>;

  // ── Knowledge (core/knowledge): a publication drafts its broadcast ──
  /**
   * Drafts the broadcast of a published alert or bulletin, without a staff check of its own
   * (the publication was authorized): one draft per source id and version (a replay returns
   * the first). Staff with `sms.broadcast` preview, approve and send it as any other; it is
   * audit-logged as created by `createdBy` with the source. `throughQuietHours` for severe and
   * extreme alerts.
   */
  draftFrom(
    source: BroadcastSource,
    input: BroadcastInput,
    createdBy: string,
    options?: { throughQuietHours?: boolean; requestId?: string },
  ): Promise<Broadcast>;

  // ── Jobs ──
  /** The one-time schedule's run: starts a due scheduled broadcast and queues its first window. Idempotent. */
  run(broadcastId: string, now: Date): Promise<RunReport>;
  /** Every minute: each active broadcast's next window (a minute's worth at the send rate), outside quiet hours. */
  tick(now: Date): Promise<RunReport[]>;
  /**
   * Fans out up to `maxRecipients` (default: a window) of a sending broadcast: records each
   * recipient's SMS once (a conditional put) and queues it. The bench calls it with a large
   * limit; the jobs through run and tick.
   */
  fanOut(broadcastId: string, now: Date, maxRecipients?: number): Promise<RunReport>;
  /**
   * The sender's check before a broadcast SMS goes to the gateway (cached for a few seconds
   * per process): `send`; `hold` (paused or quiet hours: left queued, the broadcast marked
   * held so a later tick queues it again); `cancel` (recorded as blocked, reason cancelled).
   */
  gate(broadcastId: string, now: Date): Promise<'send' | 'hold' | 'cancel'>;
}
