/**
 * The fan-out: a sending broadcast's audience read page by page from the audience index, each
 * recipient's SMS recorded once (a conditional put keyed by broadcast × phone) and then queued
 * for the paced sender.
 *
 * Nothing is sent twice, whatever crashes: a page is read (its messages at once), its missing
 * messages recorded, queued, counted (once per page id) and only then is the progress moved
 * past it, so a run that dies anywhere is finished by the next one reading the same page
 * again — its messages exist already (read, or refused by recordOnce), those still `queued` are queued again (the sender's lease and status check make a
 * second queue entry harmless), the sent ones are left alone.
 *
 * Windows: each run (a minute's worth at the send rate) notes where it began. When the sender
 * held messages back (pause, quiet hours) or the queue lost them (nothing moved for 5 minutes),
 * a later run reads the windows again and queues what is still `queued`.
 */
import { mapLimited } from '../limited.ts';
import { outboundIdFor } from '../sms/message-jobs.ts';
import type { DeliveryStatus, OutboundSms } from '../sms/messages.ts';
import type { OutboundQueue, OutboundStore } from '../sms/ports.ts';
import {
  type Broadcast,
  EVERYONE,
  type FanOutPosition,
  type FanOutProgress,
  type ScriptGroup,
  type StatusTally,
  scriptGroupOf,
} from './broadcast.ts';
import { pageIdOf } from './ids.ts';
import type { AudienceReader, BroadcastStore } from './ports.ts';
import { type Composer, renderFor } from './preview.ts';
import type { BroadcastSettings } from './settings.ts';

/** Recipients of a page recorded at once (each its own conditional put). */
export const RECORDS_IN_FLIGHT = 8;

/** A window whose messages have not moved for this long is queued again (a lost queue entry). */
export const STALE_WINDOW_MS = 5 * 60_000;

export interface FanOutDeps {
  store: BroadcastStore;
  audience: AudienceReader;
  outbound: Pick<OutboundStore, 'recordOnce' | 'getMany'>;
  bulkQueue: OutboundQueue;
  settings: BroadcastSettings;
}

/** The audience index partitions a broadcast reads, in order: region × topic (`all` when it names none). */
export const partitionsOf = (b: Pick<Broadcast, 'audience'>) =>
  b.audience.regions.flatMap((region) =>
    (b.audience.topics.length ? b.audience.topics : [EVERYONE]).map((topic) => ({ region, topic })),
  );

/** The SMS of one recipient: the same id whoever records it, however often. */
export const broadcastMessageId = (broadcastId: string, phone: string) =>
  outboundIdFor(`broadcast:${broadcastId}:${phone}`);

export const samePosition = (a: FanOutPosition, b: FanOutPosition) =>
  a.partition === b.partition && a.cursor === b.cursor;

export interface PagesResult {
  /** The progress as saved after the last page (a replay's is unchanged). */
  progress: FanOutProgress;
  next: FanOutPosition;
  /** Every partition read to its end. */
  done: boolean;
  queued: number;
  pages: number;
  /** False when the broadcast changed under the run (paused, cancelled): it stopped. */
  current: boolean;
  /** The messages of the pages' own recipients by status (a replay reads every one). */
  tally: StatusTally;
}

/** Statuses whose segments left for the gateway (a failure may not have: it is left out). */
const LEFT = new Set(['sent', 'delivered', 'unknown']);

/** Two tallies added up. */
export function addTallies(a: StatusTally, b: StatusTally): StatusTally {
  const sum: StatusTally = { ...a };
  for (const [k, n] of Object.entries(b) as Array<[keyof StatusTally, number]>) sum[k] = (sum[k] ?? 0) + n;
  return sum;
}

/**
 * Reads pages from `from` until `max` members were read, the end, or `until` (a replay): each
 * recipient recorded once and queued while `queued`. A forward run saves the progress after
 * each page; a replay does not move it.
 */
export async function fanOutPages(
  deps: FanOutDeps,
  b: Broadcast,
  progress: FanOutProgress,
  composer: Composer,
  now: Date,
  opts: { from: FanOutPosition; max: number; until?: FanOutPosition },
): Promise<PagesResult> {
  const partitions = partitionsOf(b);
  // One rendering per script group: everyone in it receives the same text.
  const renderings = new Map<ScriptGroup, ReturnType<typeof renderFor>>();
  const renderingOf = (group: ScriptGroup) => {
    if (!renderings.has(group)) renderings.set(group, renderFor(group, b, composer, deps.settings.maxSegments));
    return renderings.get(group);
  };
  const replay = opts.until !== undefined;
  let position = opts.from;
  let read = 0;
  let queued = 0;
  let pages = 0;
  let tally: StatusTally = {};
  while (position.partition < partitions.length && read < opts.max) {
    if (opts.until && samePosition(position, opts.until)) break;
    const { region, topic } = partitions[position.partition]!;
    const page = await deps.audience.members(
      region,
      topic,
      { limit: deps.settings.pageSize, ...(position.cursor ? { cursor: position.cursor } : {}) },
      b.audience.languages,
    );
    const pageId = pageIdOf(position);
    // Recorded by this page before a crash: counted with it, and queued again if still waiting.
    // Recorded by another partition's page (a subscriber of two topics): theirs, not ours.
    const outcomeOf = (existing: OutboundSms & { status: DeliveryStatus }) => {
      const ours = existing.broadcastPage === pageId;
      return {
        mine: ours,
        queue: existing.status === 'queued' && (ours || replay) ? existing : undefined,
        ...(ours && existing.status !== 'queued' ? { status: existing.status, segments: existing.segments } : {}),
      };
    };
    // The page's messages read at once (one BatchGetItem per hundred): a page read again (a
    // replay, a rerun after a crash) then costs a read of each, not a refused put and a read;
    // only the missing are put. Under a throttled table every request saved is one fewer to fail.
    const known = await deps.outbound.getMany(page.items.map((member) => broadcastMessageId(b.id, member.phone)));
    // Each missing member's record is its own conditional put: a few at a time (the page's order is kept
    // for the queue), as one after another would leave the fan-out waiting on each round trip.
    const outcomes = await mapLimited(page.items, RECORDS_IN_FLIGHT, async (member) => {
      const rendered = renderingOf(scriptGroupOf(member.language, member.script));
      if (!rendered) return undefined; // no version for their language: nothing to send them
      const id = broadcastMessageId(b.id, member.phone);
      const stored = known.get(id);
      if (stored) return outcomeOf(stored);
      const msg: OutboundSms = {
        id,
        to: member.phone,
        text: rendered.fitted.text,
        encoding: rendered.fitted.encoding,
        segments: rendered.fitted.segments,
        key: rendered.key,
        params: rendered.params,
        essential: false,
        createdAt: now.toISOString(),
        broadcastId: b.id,
        broadcastPage: pageId,
      };
      const result = await deps.outbound.recordOnce(msg);
      if (result.recorded) return { mine: true, queue: msg };
      return result.existing ? outcomeOf(result.existing) : undefined;
    });
    for (const o of outcomes) {
      if (!o || !('status' in o) || !o.status) continue;
      const moved: StatusTally = { [o.status]: 1 };
      if (LEFT.has(o.status)) moved.segmentsSent = o.segments ?? 0;
      tally = addTallies(tally, moved);
    }
    const toQueue: OutboundSms[] = outcomes.flatMap((o) => (o?.queue ? [o.queue] : []));
    const mine = outcomes.filter((o) => o?.mine).length;
    if (toQueue.length) await deps.bulkQueue.enqueue(toQueue);
    await deps.store.addRecipients(b.id, pageId, mine);
    position = page.cursor
      ? { partition: position.partition, cursor: page.cursor }
      : { partition: position.partition + 1 };
    pages++;
    read += page.items.length;
    queued += toQueue.length;
    if (!replay) {
      progress = {
        ...progress,
        next: position,
        done: position.partition >= partitions.length,
        pages: progress.pages + 1,
      };
      if (!(await deps.store.saveProgress(b.id, b.version, progress)))
        return { progress, next: position, done: progress.done, queued, pages, current: false, tally };
    }
  }
  return {
    progress,
    next: position,
    done: position.partition >= partitions.length,
    queued,
    pages,
    current: true,
    tally,
  };
}
