/**
 * Broadcasts: compose, preview, approve, send, pause, resume, cancel (staff, authorized per
 * region and audit-logged), and the jobs that fan them out (run, tick, fanOut) and the
 * sender's check before each SMS (gate). docs/broadcasts.md tells the whole story.
 */

import { shanghaiDay } from '../dates.ts';
import { AppError, type ErrorDetail } from '../errors.ts';
import type { Page } from '../paging.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { SignatureSettings, Transliterate } from '../sms/compose-sms.ts';
import type { OutboundQueue, OutboundStore } from '../sms/ports.ts';
import { auditEntry } from '../staff/audit.ts';
import { regionsWith } from '../staff/authz.ts';
import { type Acting, type GuardDeps, guard } from '../staff/guard.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import {
  type Broadcast,
  type BroadcastStatus,
  type BroadcastSummary,
  emptyProgress,
  type FanOutPosition,
  type FanOutProgress,
  type Preview,
  type ReplayPass,
} from './broadcast.ts';
import { addTallies, fanOutPages, STALE_WINDOW_MS, samePosition } from './fan-out.ts';
import { broadcastIdFor, isBroadcastId, newBroadcastId } from './ids.ts';
import type { AudienceReader, BroadcastScheduler, BroadcastStore } from './ports.ts';
import { buildPreview, type Composer, countGroups } from './preview.ts';
import { isQuiet, quietEnds } from './quiet.ts';
import type { BroadcastInput, BroadcastListQuery, BroadcastService, BroadcastView, RunReport } from './service.ts';
import type { BroadcastSettings } from './settings.ts';
import { SEND_AT_GRACE_MS, type ValidInput, validateInput } from './validate.ts';

export interface BroadcastDeps extends GuardDeps {
  store: BroadcastStore;
  audience: AudienceReader;
  scheduler: BroadcastScheduler;
  /** Where each recipient's SMS is recorded once. */
  outbound: Pick<OutboundStore, 'recordOnce' | 'getMany'>;
  /** The paced queue broadcast SMS wait in for the sender. */
  bulkQueue: OutboundQueue;
  /** Segments already counted on an Asia/Shanghai day (SmsBudget.spent). */
  budget: { spent(day: string): Promise<number> };
  /** SMS_DAILY_SEGMENT_LIMIT: what non-essential SMS may spend a day. */
  dailySegmentLimit: number;
  catalog: () => Promise<Pick<Catalog, 'regions' | 'commodities'>>;
  signature: SignatureSettings;
  /** Tibetan → Wylie; a promise, so that a function may load the transliterator only when a broadcast needs it. */
  toWylie: () => Promise<Transliterate>;
  settings: BroadcastSettings;
  log: (entry: Record<string, unknown>) => void;
  /**
   * The SMS gateway sends only registered templates and the deployment's registry has no
   * general-notice template: a free-text broadcast is refused before anything is recorded
   * (the preview says so first), instead of every SMS of it failing at the gateway.
   */
  freeTextRefused?: boolean;
}

/** How long the sender trusts what it read of a broadcast's status. */
export const GATE_CACHE_MS = 5_000;

const activeStatuses: readonly BroadcastStatus[] = ['scheduled', 'sending', 'paused'];

const refuse = (name: string, params?: Record<string, string | number>): AppError =>
  new AppError('conflict', params ?? {}, [
    { message: name.replace(/_/g, ' '), key: `errors:broadcast.${name}`, ...(params ? { params } : {}) },
  ]);

const wrongStatus = (status: BroadcastStatus) => refuse('status', { status });

const invalid = (details: ErrorDetail[]) => new AppError('validation_failed', {}, details);

export function createBroadcasts(deps: BroadcastDeps): BroadcastService {
  const { settings } = deps;
  const quiet = { start: settings.quietStart, end: settings.quietEnd };
  const windowSize = settings.sendRate * 60;
  /** Quiet hours hold every broadcast but a severe or extreme alert's. */
  const quietFor = (b: Pick<Broadcast, 'throughQuietHours'>, at: Date) => !b.throughQuietHours && isQuiet(at, quiet);

  let composer: Promise<Composer> | undefined;
  const composerOf = () => {
    composer ??= deps.toWylie().then((toWylie) => ({ signature: deps.signature, toWylie }));
    return composer;
  };

  const audit = (acting: Acting, action: string, b: Broadcast, detail?: Record<string, string | number>) =>
    deps.audit.record(
      auditEntry(
        {
          actor: acting.actor.phone,
          action: `broadcast.${action}`,
          target: b.id,
          regions: [...b.audience.regions],
          outcome: 'ok',
          ...(detail ? { detail } : {}),
          ...(acting.requestId ? { requestId: acting.requestId } : {}),
        },
        deps.now(),
      ),
    );

  /** Validated input, or a refusal: forbidden first (regions out of scope), then every input problem. */
  const checked = async (acting: Acting, input: BroadcastInput): Promise<ValidInput> => {
    const catalog = await deps.catalog();
    const { value, problems } = validateInput(input, {
      catalog,
      settings,
      composer: await composerOf(),
      now: deps.now(),
    });
    await guard(deps, acting, 'sms.broadcast', value.audience.regions.length ? value.audience.regions : []);
    if (problems.length) throw invalid(problems);
    return value;
  };

  /** Counts (one Query per region, one budget read) and renders. */
  const previewOf = async (value: ValidInput): Promise<Preview> => {
    const now = deps.now();
    const rows = await Promise.all(value.audience.regions.map((r) => deps.audience.counts(r)));
    const day = shanghaiDay(value.sendAt ? new Date(value.sendAt) : now);
    const spent = day > shanghaiDay(now) ? 0 : await deps.budget.spent(day);
    return buildPreview({
      audience: value.audience,
      content: value,
      ...(value.sendAt ? { sendAt: value.sendAt } : {}),
      counts: countGroups(value.audience, rows),
      spent,
      dailySegmentLimit: deps.dailySegmentLimit,
      settings,
      composer: await composerOf(),
      now,
      ...(deps.freeTextRefused ? { freeTextRefused: true } : {}),
    });
  };

  const load = async (id: string): Promise<Broadcast> => {
    const b = isBroadcastId(id) ? await deps.store.get(id) : undefined;
    if (!b) throw new AppError('not_found', { id });
    return b;
  };

  /** A broadcast the actor may act on: `sms.broadcast` in every region of its audience. */
  const loadFor = async (acting: Acting, id: string): Promise<Broadcast> => {
    const b = await load(id);
    await guard(deps, acting, 'sms.broadcast', b.audience.regions);
    return b;
  };

  // The sender asks before every broadcast SMS: cached per process for a few seconds.
  const gateCache = new Map<string, { at: number; broadcast: Broadcast | undefined }>();
  const heldMarked = new Map<string, number>();
  const remember = (b: Broadcast) => gateCache.set(b.id, { at: Date.now(), broadcast: b });

  const save = async (b: Broadcast): Promise<Broadcast> => {
    const saved = await deps.store.save(b);
    remember(saved);
    return saved;
  };

  const summaryOf = (b: Broadcast, acting: Acting, viewerMay: boolean): BroadcastView['may'] => {
    const draft = b.status === 'draft';
    const approved = !b.preview.needsApproval || b.approvedBy !== undefined;
    return {
      edit: viewerMay && draft,
      approve: viewerMay && draft && b.preview.needsApproval && !b.approvedBy && b.createdBy !== acting.actor.phone,
      // Free text that this gateway cannot carry is not offered for sending (send refuses it anyway).
      send: viewerMay && draft && approved && !b.preview.freeTextRefused,
      pause: viewerMay && (b.status === 'sending' || b.status === 'scheduled'),
      resume: viewerMay && b.status === 'paused',
      cancel: viewerMay && (draft || activeStatuses.includes(b.status)),
    };
  };

  const finish = async (b: Broadcast, now: Date): Promise<Broadcast> => {
    const done = await save({ ...b, status: 'finished', finishedAt: now.toISOString(), updatedAt: now.toISOString() });
    await deps.audit.record(
      auditEntry(
        {
          actor: b.sentBy ?? b.createdBy,
          action: 'broadcast.finish',
          target: b.id,
          regions: [...b.audience.regions],
          outcome: 'ok',
        },
        now,
      ),
    );
    return done;
  };

  const report = (b: Broadcast, extra: Partial<RunReport> = {}): RunReport => ({
    broadcastId: b.id,
    status: b.status,
    queued: 0,
    pages: 0,
    ...extra,
  });

  /**
   * Queues again what is still `queued` from the first window on: the sender held it back
   * (pause, quiet hours) or the queue lost it. Page by page, saving where it got to
   * (`progress.replay`), so that one cut off part-way goes on from there at the next tick.
   *
   * A whole pass that found nothing left queued while the fan-out is done means the broadcast
   * is over whatever its counters say: they are moved by a write apart from each status
   * change, and a crash in between leaves them behind. It is finished, and a pass that began at
   * the first page raises the counters to what it read from the messages themselves.
   */
  const replayWindows = async (
    b: Broadcast,
    start: FanOutProgress,
    composer: Composer,
    now: Date,
  ): Promise<RunReport> => {
    let progress = start;
    const first = progress.windows[0];
    const passFrom = (from: FanOutPosition): ReplayPass => ({
      from: { partition: from.partition, ...(from.cursor ? { cursor: from.cursor } : {}) },
      queued: 0,
      whole: from.partition === 0 && !from.cursor,
      tally: {},
    });
    // A hold (pause, quiet hours) starts a pass of its own from the first window: what it held
    // may lie behind the page a pass under way has reached.
    let pass = progress.held && first ? passFrom(first) : (progress.replay ?? (first ? passFrom(first) : undefined));
    if (!pass) {
      await deps.store.saveProgress(b.id, b.version, { ...progress, held: false });
      return report(b);
    }
    if (progress.held) {
      progress = { ...progress, held: false, replay: pass };
      if (!(await deps.store.saveProgress(b.id, b.version, progress))) return report(b, { idle: 'changed' });
    }
    let queued = 0;
    let pages = 0;
    for (;;) {
      const atEnd = samePosition(pass.from, progress.next) || pass.from.partition > progress.next.partition;
      let read: Awaited<ReturnType<typeof fanOutPages>> | undefined;
      if (!atEnd)
        read = await fanOutPages(deps, b, progress, composer, now, { from: pass.from, max: 1, until: progress.next });
      if (read && read.pages > 0) {
        pass = {
          ...pass,
          from: read.next,
          queued: pass.queued + read.queued,
          tally: addTallies(pass.tally, read.tally),
        };
        queued += read.queued;
        pages += read.pages;
        progress = { ...progress, replay: pass };
        if (!(await deps.store.saveProgress(b.id, b.version, progress))) return report(b, { idle: 'changed' });
        continue;
      }
      // The pass is over: the windows' time starts again.
      const { replay: _over, ...rest } = progress;
      progress = {
        ...rest,
        windows: progress.windows.map((w, i, all) => (i === all.length - 1 ? { ...w, at: now.toISOString() } : w)),
      };
      if (!(await deps.store.saveProgress(b.id, b.version, progress))) return report(b, { idle: 'changed' });
      deps.log({ level: 'info', msg: 'broadcast replayed', id: b.id, queued: pass.queued, pages });
      if (progress.done && pass.queued === 0 && !progress.held) {
        const counts = await deps.store.counts(b.id);
        if (counts.queued > 0) {
          deps.log({
            level: 'warn',
            msg: 'broadcast counters behind',
            id: b.id,
            queued: counts.queued,
            whole: pass.whole,
          });
          if (pass.whole) await deps.store.raiseCounts(b.id, pass.tally);
        }
        const fresh = await deps.store.get(b.id);
        if (fresh?.status === 'sending') return report(await finish(fresh, now), { queued, pages });
      }
      return report(b, { queued, pages });
    }
  };

  const fanOut = async (id: string, now: Date, maxRecipients = windowSize): Promise<RunReport> => {
    const b = isBroadcastId(id) ? await deps.store.get(id) : undefined;
    if (!b) return { broadcastId: id, status: 'cancelled', queued: 0, pages: 0, idle: 'missing' };
    if (b.status !== 'sending') {
      const idle = b.status === 'scheduled' || b.status === 'draft' ? 'not_due' : b.status;
      return report(b, { idle });
    }
    if (quietFor(b, now)) return report(b, { idle: 'quiet' });
    const counts = await deps.store.counts(id);
    let progress: FanOutProgress = b.progress;
    // Nothing left waiting: no window needs replaying.
    if (counts.queued <= 0 && (progress.windows.length || progress.held || progress.replay)) {
      const { replay: _none, ...rest } = progress;
      progress = { ...rest, windows: [], held: false };
    }
    if (progress.done && counts.queued <= 0) return report(await finish(b, now));

    const composer = await composerOf();
    const last = progress.windows.at(-1);
    const stale = last !== undefined && counts.queued > 0 && now.getTime() - Date.parse(last.at) > STALE_WINDOW_MS;
    if (progress.held || stale || progress.replay) return replayWindows(b, progress, composer, now);
    if (counts.queued > windowSize) return report(b, { idle: 'backlog' });
    if (progress.done) return report(b, { idle: 'backlog' });

    // The window's start is saved before its pages go: a crash mid-window still replays it.
    progress = { ...progress, windows: [...progress.windows, { ...progress.next, at: now.toISOString() }] };
    if (!(await deps.store.saveProgress(id, b.version, progress))) return report(b, { idle: 'changed' });
    const result = await fanOutPages(deps, b, progress, composer, now, { from: progress.next, max: maxRecipients });
    if (result.current && result.done) {
      // The local queue sends as it is handed messages: the broadcast may be over already.
      const after = await deps.store.counts(id);
      if (after.queued <= 0) {
        const fresh = await deps.store.get(id);
        if (fresh?.status === 'sending')
          return report(await finish(fresh, now), { queued: result.queued, pages: result.pages });
      }
    }
    return report(b, { queued: result.queued, pages: result.pages });
  };

  const run = async (id: string, now: Date): Promise<RunReport> => {
    const b = isBroadcastId(id) ? await deps.store.get(id) : undefined;
    if (!b) return { broadcastId: id, status: 'cancelled', queued: 0, pages: 0, idle: 'missing' };
    if (b.status === 'scheduled') {
      if (b.sendAt && Date.parse(b.sendAt) > now.getTime() + SEND_AT_GRACE_MS) return report(b, { idle: 'not_due' });
      try {
        await save({
          ...b,
          status: 'sending',
          startedAt: b.startedAt ?? now.toISOString(),
          updatedAt: now.toISOString(),
        });
      } catch (err) {
        // Another run (a schedule delivered twice, the minute tick) started it first: go on from theirs.
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      }
    }
    return fanOut(id, now);
  };

  /** Creates a draft (under `stableId` when given: a replay returns the first one, if the same person made it). */
  const store = async (
    acting: Acting,
    content: Pick<Broadcast, 'audience' | 'texts' | 'preview'> &
      Partial<Pick<Broadcast, 'template' | 'sendAt' | 'source' | 'throughQuietHours'>>,
    stableId: string | undefined,
  ): Promise<Broadcast> => {
    const now = deps.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = stableId ?? newBroadcastId(now);
      const b: Broadcast = {
        id,
        status: 'draft',
        ...content,
        createdBy: acting.actor.phone,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        progress: emptyProgress(),
        version: 1,
      };
      if (await deps.store.create(b)) {
        await audit(
          acting,
          'create',
          b,
          b.source ? { source: `${b.source.kind}:${b.source.id}:${b.source.version}` } : undefined,
        );
        return b;
      }
      if (stableId) {
        const existing = await deps.store.get(id);
        if (existing && existing.createdBy === acting.actor.phone) return existing;
        throw new AppError('conflict');
      }
    }
    throw new AppError('unavailable');
  };

  return {
    async preview(acting, input) {
      return previewOf(await checked(acting, input));
    },

    async create(acting, input, requestId) {
      const value = await checked(acting, input);
      const preview = await previewOf(value);
      // A resubmitted form or an API retry names the same request: the same id, one broadcast.
      const stableId = requestId ? broadcastIdFor(`${acting.actor.phone}\n${requestId}`) : undefined;
      return store(acting, { ...value, preview }, stableId);
    },

    async draftFrom(source, input, createdBy, options = {}) {
      const catalog = await deps.catalog();
      const { value, problems } = validateInput(input, {
        catalog,
        settings,
        composer: await composerOf(),
        now: deps.now(),
      });
      if (problems.length) throw invalid(problems);
      const through = options.throughQuietHours === true;
      const preview = await previewOf(value);
      const acting: Acting = {
        actor: { phone: createdBy, grants: [], configAdmin: false },
        ...(options.requestId ? { requestId: options.requestId } : {}),
      };
      // One draft per publication: the same source and version, the same id.
      const stableId = broadcastIdFor(`source\n${source.kind}\n${source.id}\n${source.version}`);
      return store(
        acting,
        {
          ...value,
          preview: through ? { ...preview, timing: { ...preview.timing, quietHoldsIt: false } } : preview,
          source,
          ...(through ? { throughQuietHours: true } : {}),
        },
        stableId,
      );
    },

    async update(acting, id, input, version) {
      const b = await loadFor(acting, id);
      if (b.status !== 'draft') throw wrongStatus(b.status);
      if (version !== undefined && version !== b.version) throw new AppError('conflict');
      const value = await checked(acting, input);
      const preview = await previewOf(value);
      const { approvedBy: _a, approvedAt: _t, template: _old, sendAt: _s, ...rest } = b;
      const saved = await save({ ...rest, ...value, preview, updatedAt: deps.now().toISOString() });
      await audit(acting, 'update', saved, b.approvedBy ? { approvalWithdrawn: b.approvedBy } : undefined);
      return saved;
    },

    async get(acting, id) {
      const b = await loadFor(acting, id);
      const counts = await deps.store.counts(id);
      const now = deps.now();
      return {
        broadcast: b,
        counts,
        may: summaryOf(b, acting, true),
        ...(b.status === 'sending' && quietFor(b, now)
          ? { quiet: { until: quietEnds(now, quiet).toISOString() } }
          : {}),
      };
    },

    async list(acting, query: BroadcastListQuery): Promise<Page<BroadcastSummary>> {
      const region = query.region ?? defaultRegion(acting);
      await guard(deps, acting, 'sms.broadcast', [region]);
      const limit = Math.min(Math.max(1, query.limit ?? 20), 100);
      return deps.store.list(
        region,
        { limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
        { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) },
      );
    },

    async approve(acting, id) {
      const b = await loadFor(acting, id);
      if (b.status !== 'draft') throw wrongStatus(b.status);
      if (b.createdBy === acting.actor.phone) throw refuse('own_approval');
      if (b.approvedBy) throw refuse('already_approved');
      if (!b.preview.needsApproval) throw refuse('no_approval_needed');
      const now = deps.now().toISOString();
      const saved = await save({ ...b, approvedBy: acting.actor.phone, approvedAt: now, updatedAt: now });
      await audit(acting, 'approve', saved);
      return saved;
    },

    async send(acting, id) {
      const b = await loadFor(acting, id);
      if (b.status !== 'draft') throw wrongStatus(b.status);
      const now = deps.now();
      if (b.sendAt && Date.parse(b.sendAt) < now.getTime() - SEND_AT_GRACE_MS)
        throw invalid([{ path: 'sendAt', message: 'in the past', key: 'errors:broadcast.send_at_past' }]);
      // Counted again now: the audience may have grown since the draft was saved.
      const preview = await previewOf(b);
      if (preview.freeTextRefused) throw refuse('free_text_refused');
      if (preview.needsApproval && !b.approvedBy) throw refuse('needs_approval');
      if (!preview.budget.fits) {
        const params = { needed: preview.budget.needed, remaining: preview.budget.remaining };
        throw invalid([
          { path: 'budget', message: 'over the day’s SMS budget', key: 'errors:broadcast.budget', params },
        ]);
      }
      const later = b.sendAt !== undefined && Date.parse(b.sendAt) > now.getTime() + SEND_AT_GRACE_MS;
      const saved = await save({
        ...b,
        preview,
        status: later ? 'scheduled' : 'sending',
        sentBy: acting.actor.phone,
        ...(later ? {} : { startedAt: now.toISOString() }),
        updatedAt: now.toISOString(),
      });
      await audit(acting, 'send', saved, { recipients: preview.recipients, segments: preview.totalSegments });
      await deps.scheduler.at(saved.id, later ? new Date(b.sendAt!) : now);
      return saved;
    },

    async pause(acting, id) {
      const b = await loadFor(acting, id);
      if (b.status !== 'sending' && b.status !== 'scheduled') throw wrongStatus(b.status);
      const saved = await save({
        ...b,
        status: 'paused',
        pausedBy: acting.actor.phone,
        updatedAt: deps.now().toISOString(),
      });
      await deps.scheduler.cancel(id);
      await audit(acting, 'pause', saved);
      return saved;
    },

    async resume(acting, id) {
      const b = await loadFor(acting, id);
      if (b.status !== 'paused') throw wrongStatus(b.status);
      const now = deps.now();
      // Paused before its time came: back to waiting for it.
      const later = !b.startedAt && b.sendAt !== undefined && Date.parse(b.sendAt) > now.getTime() + SEND_AT_GRACE_MS;
      const { pausedBy: _p, ...rest } = b;
      const saved = await save({
        ...rest,
        status: later ? 'scheduled' : 'sending',
        ...(later ? {} : { startedAt: b.startedAt ?? now.toISOString() }),
        // What the sender held back while paused is queued again by the next run.
        progress: { ...b.progress, held: !later },
        updatedAt: now.toISOString(),
      });
      await audit(acting, 'resume', saved);
      await deps.scheduler.at(id, later ? new Date(b.sendAt!) : now);
      return saved;
    },

    async cancel(acting, id) {
      const b = await loadFor(acting, id);
      if (b.status !== 'draft' && !activeStatuses.includes(b.status)) throw wrongStatus(b.status);
      const now = deps.now().toISOString();
      const saved = await save({
        ...b,
        status: 'cancelled',
        cancelledBy: acting.actor.phone,
        cancelledAt: now,
        updatedAt: now,
      });
      await deps.scheduler.cancel(id);
      await audit(acting, 'cancel', saved);
      return saved;
    },

    run,

    async tick(now) {
      const reports: RunReport[] = [];
      for (const id of await deps.store.active()) {
        try {
          reports.push(await run(id, now));
        } catch (err) {
          // One broken broadcast must not stop the others; the next tick tries it again.
          // `kind`: the broadcast-failure alarm's metric filter matches it (infra/constructs/monitoring.ts).
          deps.log({
            level: 'error',
            msg: 'broadcast tick failed',
            kind: 'broadcast_failed',
            id,
            error: (err as Error).message,
          });
        }
      }
      return reports;
    },

    fanOut,

    async gate(id, now) {
      let entry = gateCache.get(id);
      if (!entry || Date.now() - entry.at > GATE_CACHE_MS) {
        entry = { at: Date.now(), broadcast: isBroadcastId(id) ? await deps.store.get(id) : undefined };
        gateCache.set(id, entry);
      }
      const b = entry.broadcast;
      if (!b || b.status === 'cancelled') return 'cancel';
      if (b.status === 'finished') return 'send';
      if (b.status === 'sending' && !quietFor(b, now)) return 'send';
      // Held back: marked once per cache period, so that a later run queues these again.
      const marked = heldMarked.get(id);
      if (marked === undefined || Date.now() - marked > GATE_CACHE_MS) {
        heldMarked.set(id, Date.now());
        const fresh = await deps.store.get(id);
        if (fresh && !fresh.progress.held && fresh.status !== 'cancelled' && fresh.status !== 'finished')
          await deps.store.saveProgress(id, fresh.version, { ...fresh.progress, held: true });
      }
      return 'hold';
    },
  };
}

/** The history a viewer sees first: everywhere for a grant of all regions, else their first region. */
function defaultRegion(acting: Acting): string {
  if (acting.actor.configAdmin) return ALL_REGIONS;
  const [first] = regionsWith(acting.actor, 'sms.broadcast');
  return first ?? ALL_REGIONS;
}
