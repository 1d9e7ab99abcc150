/**
 * Every key formula of the single table, as pure functions. The README's access-pattern
 * table points here; nothing else builds a key string.
 *
 * @example referenceKey('commodity', 'butter') // { pk: 'REF#commodity', sk: 'butter' }
 */

import { type ObservationIdentityFields, observationIdentity } from '#core/prices/observation.ts';
import type { ReferenceKind } from '#core/reference/schemas.ts';

export interface Key {
  pk: string;
  sk: string;
}

/** One reference item (commodity, region, market, unit). */
export const referenceKey = (kind: ReferenceKind, id: string): Key => ({ pk: referencePartition(kind), sk: id });

/** All items of one reference kind live in one partition: small, read together, cached. */
export const referencePartition = (kind: ReferenceKind): string => `REF#${kind}`;

/** gsi1: the regions directly under a parent region. */
export const regionChildrenIndex = (parentId: string) => ({ gsi1pk: `REGION#${parentId}#CHILDREN` });

/** gsi1: the markets in a region. */
export const marketsInRegionIndex = (regionId: string) => ({ gsi1pk: `REGION#${regionId}#MARKETS` });

/** The newest open-data snapshot's file list (sizes, checksums), which the /open-data page shows: one item, rewritten daily. */
export const openDataSnapshotKey = (): Key => ({ pk: 'META', sk: 'open-data#latest' });

/** Written last by a seed run, so its presence means the reference data is complete. */
export const seedMarkerKey = (name: string): Key => ({ pk: 'META', sk: `seed#${name}` });

// ── SMS ──────────────────────────────────────────────────────────────────────────────

/** The claim that makes an inbound message's effects happen once per (gateway, message id). */
export const inboundClaimKey = (gateway: string, messageId: string): Key => ({
  pk: `INBOUND#${gateway}#${messageId}`,
  sk: 'CLAIM',
});

/**
 * gsi1: inbound claims still `processing`, oldest first (written with the claim, removed when
 * it completes): what a restart must finish. One partition; inbound SMS are a few a second.
 */
export const processingClaimIndex = (claimedAt?: number, gateway?: string, messageId?: string) => ({
  gsi1pk: 'INBOUND#PROCESSING',
  ...(claimedAt !== undefined
    ? { gsi1sk: `${new Date(claimedAt).toISOString()}#${gateway ?? ''}#${messageId ?? ''}` }
    : {}),
});

/** A subscriber: the phone number is the account. */
export const subscriberKey = (phone: string): Key => ({ pk: `SUB#${phone}`, sk: 'PROFILE' });

/** gsi1: subscribers by home region (for targeted broadcasts). */
export const subscribersInRegionIndex = (regionId: string, phone: string) => ({
  gsi1pk: `SUBS#REGION#${regionId}`,
  gsi1sk: phone,
});

/** One outbound SMS and its delivery status. */
export const outboundKey = (id: string): Key => ({ pk: `SMS#${id}`, sk: 'MSG' });

/** gsi1: the SMS sent to a number, newest first (ISO time sorts as text). */
export const outboxIndex = (to: string, createdAt?: string, id?: string) => ({
  gsi1pk: `OUTBOX#${to}`,
  ...(createdAt ? { gsi1sk: `${createdAt}#${id ?? ''}` } : {}),
});

/** gsi2: find an outbound SMS by the gateway's message id (delivery receipts). */
export const gatewayMessageIndex = (gateway: string, gatewayMessageId: string) => ({
  gsi2pk: `GWMSG#${gateway}#${gatewayMessageId}`,
  gsi2sk: 'MSG',
});

/**
 * An SMS sent through a gateway whose receipts are also pulled (Alibaba Cloud: the sms-reconcile
 * job), awaiting its final receipt: one item per message in a partition per gateway and UTC hour
 * of its "sent" mark, so the job reads the hours between 10 minutes and 72 hours ago.
 */
export const awaitingReceiptPartition = (gateway: string, hour: string): string => `SMSAWAIT#${gateway}#${hour}`;
export const awaitingReceiptKey = (gateway: string, hour: string, id: string): Key => ({
  pk: awaitingReceiptPartition(gateway, hour),
  sk: id,
});

/** A fixed-window counter: `bucket` names the limit, `subject` whom it counts. */
export const rateCounterKey = (bucket: string, subject: string, windowStart: number): Key => ({
  pk: `RATE#${bucket}#${subject}`,
  sk: String(windowStart),
});

/** Segments sent on one Asia/Shanghai calendar day. */
export const smsBudgetKey = (day: string): Key => ({ pk: 'BUDGET#SMS', sk: day });

// ── Staff identity ──────────────────────────────────────────────────────────────────

/** The sign-in codes of a phone (core/staff/codes.ts: at most two live, a few kept). */
export const signInCodeKey = (phone: string): Key => ({ pk: `AUTH#${phone}`, sk: 'CODE' });

/** One client's sign-in tries for a phone: `d:<device id>` (a device token) or `a:<address>` (a stranger). */
export const signInClientKey = (phone: string, client: string): Key => ({
  pk: `AUTH#${phone}`,
  sk: `CLIENT#${client}`,
});

/** A session or API token, by the hash of its secret (the secret itself is never stored). */
export const sessionKey = (tokenHash: string): Key => ({ pk: `SESSION#${tokenHash}`, sk: 'SESSION' });

export const staffKey = (phone: string): Key => ({ pk: `STAFF#${phone}`, sk: 'PROFILE' });

/** gsi1: all staff, by phone. */
export const staffListIndex = (phone?: string) => ({ gsi1pk: 'STAFF', ...(phone ? { gsi1sk: phone } : {}) });

/** Audit entries by Asia/Shanghai day, in time order. */
export const auditKey = (day: string, at: string, id: string): Key => ({ pk: `AUDIT#${day}`, sk: `${at}#${id}` });

// ── Prices ──────────────────────────────────────────────────────────────────────────
//
// Layout. All items of one (commodity, market) share the partition
// `PRICE#<commodity>#<market>`; the sort key says what the item is:
//
//   SUBM#<kind>#<grade>#<unit>#<date>             the submission under review (one per identity:
//                                                 a resubmission replaces it; pending → approved | rejected)
//   OBS#<kind>#<grade>#<unit>#<date>              the approved, public value (what history reads)
//   REV#<kind>#<grade>#<unit>#<date>#<v000001>    a value a correction replaced (kept, never overwritten)
//
// Keeping the approved values under their own `OBS#` prefix means one item's history is one
// key-condition Query, and "previous period" is that Query descending with Limit 1 — pending,
// rejected and superseded values can never be the first row. The latest approved value of each
// (market, kind, grade, unit) is also copied to `LATEST#<commodity>`, so "latest price of a
// commodity at up to N markets" is ONE Query whatever the history size.
//
// Every part is percent-encoded (as observationIdentity does; the grade in its normalised
// spelling), so no grade or id can forge a `#`. Dates are YYYY-MM-DD and sort as text.

/** One priced item at one market: the identity of an observation without its date. */
export type PriceItemFields = Omit<ObservationIdentityFields, 'date'>;

/** [commodity, market, date, kind, grade, unit], each percent-encoded (grade normalised). */
const priceParts = (o: PriceItemFields, date = '') =>
  observationIdentity({ ...o, date }).split('|') as [string, string, string, string, string, string];

/** The partition of all price items of one commodity at one market. */
export const pricePartition = (commodityId: string, marketId: string): string =>
  `PRICE#${encodeURIComponent(commodityId)}#${encodeURIComponent(marketId)}`;

/** `<kind>#<grade>#<unit>#`: the sort-key stem of one item (every date of it follows). */
const itemStem = (o: PriceItemFields) => {
  const [, , , kind, grade, unit] = priceParts(o);
  return `${kind}#${grade}#${unit}#`;
};

/** The submission of one observation identity (pending, approved or rejected). */
export const priceSubmissionKey = (o: ObservationIdentityFields): Key => ({
  pk: pricePartition(o.commodityId, o.marketId),
  sk: `SUBM#${itemStem(o)}${o.date}`,
});

/** The approved value of one observation identity. */
export const approvedPriceKey = (o: ObservationIdentityFields): Key => ({
  pk: pricePartition(o.commodityId, o.marketId),
  sk: `${approvedPricePrefix(o)}${o.date}`,
});

/** Sort-key prefix of one item's approved history; `prefix + date` is one observation. */
export const approvedPricePrefix = (o: PriceItemFields): string => `OBS#${itemStem(o)}`;

/**
 * A superseded approved value: written (conditionally, once) before a correction replaces
 * version `version` of the approved item, so corrections keep history. Versions are
 * zero-padded so they sort in order.
 */
export const priceRevisionKey = (o: ObservationIdentityFields, version: number): Key => ({
  pk: pricePartition(o.commodityId, o.marketId),
  sk: `${priceRevisionPrefix(o)}${String(version).padStart(6, '0')}`,
});

/** Sort-key prefix of every superseded value of one observation identity. */
export const priceRevisionPrefix = (o: ObservationIdentityFields): string => `REV#${itemStem(o)}${o.date}#`;

/** The partition of the latest approved prices of one commodity (one item per market·kind·grade·unit). */
export const latestPricePartition = (commodityId: string): string => `LATEST#${encodeURIComponent(commodityId)}`;

/** The latest approved price of one item at one market; written only forward in date. */
export const latestPriceKey = (o: PriceItemFields): Key => {
  const [commodity, market, , kind, grade, unit] = priceParts(o);
  return { pk: latestPricePartition(decodeURIComponent(commodity)), sk: `${market}#${kind}#${grade}#${unit}` };
};

/**
 * gsi1: submissions waiting for a reviewer of a region, oldest first. Only pending
 * submissions carry it (a decision removes it), so the index holds the queue and nothing else.
 */
export const pendingReviewIndex = (regionId: string, submittedAt?: string, identity?: string) => ({
  gsi1pk: `REVIEW#${regionId}`,
  ...(submittedAt ? { gsi1sk: `${submittedAt}#${identity ?? ''}` } : {}),
});

/**
 * gsi2 on approved values (OBS# items): every approved observation at one market, by date, so
 * a market's bulletin for a day ("N down, M up, K flat") is one Query:
 * gsi2pk = `MKTOBS#<market>`, gsi2sk = `<date>#<commodity>#<kind>#<grade>#<unit>`.
 * (Submission items use gsi2 only for the unpublished list below; the prefixes never meet.)
 */
export const marketObservationIndex = (o: ObservationIdentityFields | { marketId: string }) => {
  if (!('date' in o)) return { gsi2pk: `MKTOBS#${encodeURIComponent(o.marketId)}` };
  const [commodity, market, date, kind, grade, unit] = priceParts(o, o.date);
  return { gsi2pk: `MKTOBS#${market}`, gsi2sk: `${date}#${commodity}#${kind}#${grade}#${unit}` };
};

/**
 * gsi1 on approved values (OBS# items): every approved observation of one commodity, at every
 * market, by date, so open data (GET /prices and /prices.csv without a market) is a Query:
 * gsi1pk = `COMOBS#<commodity>`, gsi1sk = `<date>#<market>#<kind>#<grade>#<unit>`.
 * (Submission items use gsi1 only for the review queue above, `REVIEW#…`; the prefixes never
 * meet.) Values stored before this index existed get it from a one-off backfill
 * (price-index-backfill.ts, marker `backfillMarkerKey('obs-commodity-index')`).
 */
export const commodityObservationIndex = (o: ObservationIdentityFields | { commodityId: string }) => {
  if (!('date' in o)) return { gsi1pk: `COMOBS#${encodeURIComponent(o.commodityId)}` };
  const [commodity, market, date, kind, grade, unit] = priceParts(o, o.date);
  return { gsi1pk: `COMOBS#${commodity}`, gsi1sk: `${date}#${market}#${kind}#${grade}#${unit}` };
};

/** Written when a one-off backfill of an index has finished (and, until then, where it has got to). */
export const backfillMarkerKey = (name: string): Key => ({ pk: 'META', sk: `backfill#${name}` });

/**
 * gsi2: approved submissions whose publication (approved value, revision, latest) has not
 * finished yet. Set by the approval write, removed by the last publication write, so a sweep
 * can finish an approval a crash interrupted.
 */
export const unpublishedPriceIndex = (approvedAt?: string, identity?: string) => ({
  gsi2pk: 'PRICE#UNPUBLISHED',
  ...(approvedAt ? { gsi2sk: `${approvedAt}#${identity ?? ''}` } : {}),
});

/**
 * The journal of one CSV price import: who, which file, where its write plan is kept (the file
 * store), and whether it finished. Created (conditionally, once per id) before the import's
 * first price write; a web upload's id comes from its confirm token, so a token imports once.
 */
export const priceImportJournalKey = (id: string): Key => ({ pk: `PRICEIMPORT#${id}`, sk: 'JOURNAL' });

/**
 * gsi1: imports whose writes have not all been made (oldest first). Set when the journal is
 * created, removed when the import (or its recovery after a crash) is done, so the sweep and
 * the local start find unfinished imports with one Query.
 */
export const unfinishedImportIndex = (startedAt?: string, id?: string) => ({
  gsi1pk: 'PRICEIMPORT#UNFINISHED',
  ...(startedAt ? { gsi1sk: `${startedAt}#${id ?? ''}` } : {}),
});

// ── Alerts ──────────────────────────────────────────────────────────────────────────
//
// Who follows a topic is kept beside the subscriber as one item per (topic, phone), written
// whenever the subscriber's topics change (SUB, UNSUB, DELETE ME), so the daily price digest
// finds a commodity's subscribers with one key-condition Query instead of reading everyone.

/** The subscribers of one topic (`price:<commodity>`, `weather`, `pest`), by phone. */
export const alertPartition = (topic: string): string => `ALERT#${topic}`;
export const alertSubscriptionKey = (topic: string, phone: string): Key => ({ pk: alertPartition(topic), sk: phone });

/** What the last price digest of a topic said: the baseline the next day's is compared with. */
export const digestStateKey = (topic: string): Key => ({ pk: 'DIGEST#STATE', sk: topic });

/** One subscriber's digest of one Asia/Shanghai day (conditional put: a rerun sends nothing twice; TTL). */
export const digestSentKey = (day: string, phone: string): Key => ({ pk: `DIGEST#${day}`, sk: phone });

// ── Exchange ────────────────────────────────────────────────────────────────────────
//
// One item per offer (`LST#<code>`); where it is listed is carried by its own index
// attributes, which the one conditional write of every change sets from its status, so an
// offer can never be in an index its status does not allow:
//
//   open       gsi1 county · gsi5 prefecture · gsi3 commodity (anywhere) · gsi4 side (all products)
//   reviewing  gsi1 county queue · gsi5 prefecture queue · gsi3 queue of everywhere (`*`)
//   always     gsi2 owner (LIST, limits, confirming, DELETE ME)
//
// Each level of "near" is a partition of its own (rather than a county prefix inside the
// prefecture's partition) so that every level reads newest first, and a county is found
// without knowing its prefecture. Sort keys `<createdAt>#<code>`: ISO times sort as text.
// Ids that come from outside (commodity, region, source) are percent-encoded so that no
// id can forge a `#`; codes and E.164 numbers cannot hold one.

const part = encodeURIComponent;

/** `<createdAt>#<code>`: newest first when read descending; the code breaks ties. */
const listedAt = (createdAt?: string, code?: string) => (createdAt ? `${createdAt}#${code ?? ''}` : undefined);

/** One offer (every status). Its own `expiresAt` is stored as `offerEndsAt` (the TTL is `expiresAt`). */
export const listingKey = (code: string): Key => ({ pk: `LST#${code}`, sk: 'LISTING' });

/**
 * What created an offer (an SMS's `<gateway>:<message id>`, a form's `web:<id>`) → its code.
 * Written first, conditionally, so a redelivered message finds its offer instead of making a second.
 */
export const listingSourceKey = (source: string): Key => ({ pk: `LSTSRC#${part(source)}`, sk: 'SOURCE' });

/** gsi1: open offers of one side and commodity in one county, newest first. */
export const openInCountyIndex = (
  side: string,
  commodityId: string,
  countyId: string,
  createdAt?: string,
  code?: string,
) => withSort('gsi1', `LSTOPEN#${side}#${part(commodityId)}#${part(countyId)}`, listedAt(createdAt, code));

/** gsi5: open offers of one side and commodity in one prefecture (every county of it), newest first. */
export const openInPrefectureIndex = (
  side: string,
  commodityId: string,
  prefectureId: string,
  createdAt?: string,
  code?: string,
) => withSort('gsi5', `LSTOPEN#${side}#${part(commodityId)}#${part(prefectureId)}`, listedAt(createdAt, code));

/** gsi3: open offers of one side and commodity anywhere, newest first. */
export const openOfCommodityIndex = (side: string, commodityId: string, createdAt?: string, code?: string) =>
  withSort('gsi3', `LSTOPEN#${side}#${part(commodityId)}`, listedAt(createdAt, code));

/** gsi4: open offers of one side, every commodity, anywhere, newest first (the web's "all products"). */
export const openOfSideIndex = (side: string, createdAt?: string, code?: string) =>
  withSort('gsi4', `LSTOPEN#${side}`, listedAt(createdAt, code));

/**
 * The moderation queue of a region, oldest offer first: gsi1 for a county, gsi5 for a
 * prefecture, gsi3 for everywhere (`*`). Only `reviewing` offers carry these, so each
 * partition holds the queue and nothing else. `LSTMOD#` never meets `LSTOPEN#`.
 */
export const moderationIndex = (index: 'gsi1' | 'gsi5' | 'gsi3', regionId: string, createdAt?: string, code?: string) =>
  withSort(index, `LSTMOD#${regionId === '*' ? '*' : part(regionId)}`, listedAt(createdAt, code));

/** gsi2: a number's offers, every status, newest first. */
export const listingOwnerIndex = (phone: string, createdAt?: string, code?: string) =>
  withSort('gsi2', `LSTOWN#${phone}`, listedAt(createdAt, code));

/**
 * Something of an offer falls due on an Asia/Shanghai day (an open offer's end, a confirming
 * offer's answer-by): one marker per (day, code), written before the offer changes. Markers
 * are never moved: the sweep reads the offer and skips those whose dates moved on.
 */
export const listingDueKey = (day: string, code: string): Key => ({ pk: listingDuePartition(day), sk: code });
export const listingDuePartition = (day: string): string => `LSTDUE#${day}`;

/**
 * A reported offer that is still public (fewer reports than hide it), in a moderator's queue
 * of one region (its county, its prefecture, and `*`), newest report first. Markers only: the
 * reader re-reads each offer and keeps those still open and reported, so a marker that moved
 * on (approved, hidden, ended) is skipped, and its TTL removes it.
 */
export const reportedQueuePartition = (regionId: string): string => `LSTREPQ#${encodeURIComponent(regionId)}`;
export const reportedQueueKey = (regionId: string, at: string, code: string): Key => ({
  pk: reportedQueuePartition(regionId),
  sk: `${at}#${code}`,
});

/** Two offers were matched (their owners told): claimed once per pair, in code order. */
export const listingPairKey = (codeA: string, codeB: string): Key => {
  const [a, b] = codeA < codeB ? [codeA, codeB] : [codeB, codeA];
  return { pk: `LSTPAIR#${a}#${b}`, sk: 'PAIR' };
};

/** A conversation about an offer with one other number (MSG, SHARE). */
export const conversationKey = (code: string, otherPhone: string): Key => ({
  pk: conversationPartition(code),
  sk: otherPhone,
});
/** Every conversation about one offer. */
export const conversationPartition = (code: string): string => `LSTCONV#${code}`;

/** gsi2: the conversations a number started about others' offers, newest activity first. */
export const conversationsByIndex = (otherPhone: string, updatedAt?: string, code?: string) =>
  withSort('gsi2', `LSTCONVBY#${otherPhone}`, listedAt(updatedAt, code));

/** An alias (`A` + digits) → the number it signs for. */
export const aliasKey = (alias: string): Key => ({ pk: `LSTALIAS#${alias}`, sk: 'ALIAS' });
/** A number → its alias: written first, so everything that names the number is found from it. */
export const aliasOfKey = (phone: string): Key => ({ pk: `LSTALIASOF#${phone}`, sk: 'ALIAS' });

/** One number's report of one offer: at most one per (offer, number). */
export const reportKey = (code: string, reporterPhone: string): Key => ({
  pk: reportPartition(code),
  sk: reporterPhone,
});
/** Every report of one offer. */
export const reportPartition = (code: string): string => `LSTREP#${code}`;

/** gsi2: the reports a number made (DELETE ME). */
export const reportsByIndex = (reporterPhone: string, at?: string, code?: string) =>
  withSort('gsi2', `LSTREPBY#${reporterPhone}`, listedAt(at, code));

/** Numbers an operator vouched for, by number (one small partition: staff decisions). */
export const vouchKey = (phone: string): Key => ({ pk: vouchPartition, sk: phone });
export const vouchPartition = 'LSTVOUCH';

/** Numbers blocked from posting and relaying, by number. */
export const blockKey = (phone: string): Key => ({ pk: blockPartition, sk: phone });
export const blockPartition = 'LSTBLOCK';

/** The admin-edited flagged-word list (one item: read whole on every post and relay). */
export const flaggedWordsKey = (): Key => ({ pk: 'META', sk: 'exchange#flagged-words' });

/** `{ <index>pk, <index>sk? }` of one of the table's GSIs. */
function withSort<I extends 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5'>(index: I, pk: string, sk: string | undefined) {
  return { [`${index}pk`]: pk, ...(sk !== undefined ? { [`${index}sk`]: sk } : {}) } as Record<`${I}pk`, string> &
    Partial<Record<`${I}sk`, string>>;
}

// ── Broadcasts ──────────────────────────────────────────────────────────────────────
//
// A broadcast is two items in its own partition: the broadcast itself (versioned, written
// conditionally) and its counters (moved by the fan-out and by every status change of its
// messages). Its history lines and its place in the active set are copies, rewritten by
// every save. Region ids and topics are our own reference ids and topic names (no `#`).

const broadcastPartition = (id: string) => `bcast#${id}`;

/** One broadcast (the whole Broadcast, `version` conditional). */
export const broadcastKey = (id: string): Key => ({ pk: broadcastPartition(id), sk: 'bcast' });
/** Its counters: recipients, statuses, segmentsSent, reasons, and the set of counted fan-out pages. */
export const broadcastCountsKey = (id: string): Key => ({ pk: broadcastPartition(id), sk: 'counts' });

/** A line of the history of a region ('*': every broadcast), newest first by `<createdAt>#<id>`. */
export const broadcastHistoryKey = (regionId: string, createdAt: string, id: string): Key => ({
  pk: broadcastHistoryPartition(regionId),
  sk: `${createdAt}#${id}`,
});
export const broadcastHistoryPartition = (regionId: string): string => `bcastlist#${regionId}`;

/** The broadcasts the minute tick works on (scheduled, sending, paused), by id. */
export const activeBroadcastKey = (id: string): Key => ({ pk: activeBroadcastPartition, sk: id });
export const activeBroadcastPartition = 'bcastactive';

// ── Audience index ──────────────────────────────────────────────────────────────────
//
// Every reachable subscriber (home region known, not stopped) under every region of their
// home's path × every topic they follow and `all`, by phone, with their language and
// script: a fan-out page is one Query. Beside it, one counter per (region, topic, language,
// script): a preview is one Query per region. The subscriber repository keeps both.

/** The subscribers of one region (any level of their home's path) and topic, by phone. */
export const audienceKey = (regionId: string, topic: string, phone: string): Key => ({
  pk: audiencePartition(regionId, topic),
  sk: phone,
});
export const audiencePartition = (regionId: string, topic: string): string => `aud#${regionId}#${topic}`;

/** How many subscribers of one region follow `topic` in `language` and `script` (`n`, moved by ADD). */
export const audienceCountKey = (regionId: string, topic: string, language: string, script: string): Key => ({
  pk: audienceCountPartition(regionId),
  sk: `${topic}#${language}#${script}`,
});
export const audienceCountPartition = (regionId: string): string => `audcount#${regionId}`;

// ── Knowledge ───────────────────────────────────────────────────────────────────────
//
// An item (guide, bulletin, alert) is its head (the working version, conditional on `seq`),
// its published versions (written once each) and a manifest of the public index entries its
// latest publication wrote, all in `kitem#<id>`. Every list is a copy rewritten whole by the
// write that changes it: staff lists by `save`, public indexes by `publish` (the manifest is
// written before the entries it names, so a crash leaves no entry that a rerun cannot find).
// Region and commodity ids are our own reference ids; they are percent-encoded all the same, so
// that no id can forge a `#`. Sort keys built from times use ISO instants (they sort as text).

const itemPartition = (id: string) => `kitem#${id}`;

/** An item's working version (the whole `Item`, `seq` conditional). */
export const knowledgeItemKey = (id: string): Key => ({ pk: itemPartition(id), sk: 'head' });
/** A published version, never changed once written (conditional put: absent). */
export const publishedVersionKey = (id: string, version: number): Key => ({
  pk: itemPartition(id),
  sk: `v#${String(version).padStart(7, '0')}`,
});
/** The public index entries the latest publication wrote (`keys`, `version`, `unpublished`). */
export const publicIndexManifestKey = (id: string): Key => ({ pk: itemPartition(id), sk: 'index' });

/** A staff list (drafts, a review queue, published, archived) of a kind in a region ('*': all), newest change first. */
export const staffListKey = (kind: string, status: string, regionId: string, updatedAt: string, id: string): Key => ({
  pk: staffListPartition(kind, status, regionId),
  sk: `${updatedAt}#${id}`,
});
export const staffListPartition = (kind: string, status: string, regionId: string): string =>
  `klist#${kind}#${status}#${part(regionId)}`;

/** A published guide's card in its commodity's list, by stage (`before#…`, `during#…`, `after#…`). */
export const guideCardKey = (commodityId: string, stage: string, id: string): Key => ({
  pk: guideCardPartition(commodityId),
  sk: `${stage}#${id}`,
});
export const guideCardPartition = (commodityId: string): string => `kguide#${part(commodityId)}`;

/** A published guide's TIP entry for one month it applies to. */
export const tipEntryKey = (commodityId: string, month: number, id: string): Key => ({
  pk: tipPartition(commodityId, month),
  sk: id,
});
export const tipPartition = (commodityId: string, month: number): string =>
  `ktip#${part(commodityId)}#${String(month).padStart(2, '0')}`;

/** Published guides per commodity: one attribute `c:<commodity>` each, recounted from `kguide#` on every publication. */
export const guideCountsKey = (): Key => ({ pk: 'kmeta', sk: 'guide-counts' });
export const guideCountAttribute = (commodityId: string): string => `c:${commodityId}`;

/** A published bulletin's card in a region's list (its regions, their ancestors, '*'), newest date first. */
export const bulletinCardKey = (regionId: string, date: string, id: string): Key => ({
  pk: bulletinPartition(regionId),
  sk: `${date}#${id}`,
});
export const bulletinPartition = (regionId: string): string => `kbull#${part(regionId)}`;

/** A published alert's card under each of its own regions ('*' when it is for everywhere), by expiry. */
export const alertCardKey = (regionId: string, expires: string, id: string): Key => ({
  pk: alertCardPartition(regionId),
  sk: `${expires}#${id}`,
});
export const alertCardPartition = (regionId: string): string => `kalert#${part(regionId)}`;

/** Every published alert, newest publication first (the feed). */
export const recentAlertKey = (publishedAt: string, id: string): Key => ({
  pk: recentAlertsPartition,
  sk: `${publishedAt}#${id}`,
});
export const recentAlertsPartition = 'kalerts';

// ── Questions ───────────────────────────────────────────────────────────────────────
//
// A question is one item (`q#<code>`, conditional on `version`); its queue entries, due entry,
// statistics line and phone entry are copies that every save rewrites (puts of the current
// ones, deletes of those only the old version had), after the question itself.

/** One question (the whole `Question`). */
export const questionKey = (code: string): Key => ({ pk: `q#${code}`, sk: 'q' });

/** A code's claim (`idem`: the inbound message whose question it is): written before the question, conditionally. */
export const questionClaimKey = (code: string): Key => ({ pk: `q#${code}`, sk: 'claim' });

/** The inbound message that asked a question → its code (written first, conditionally). */
export const questionSourceKey = (messageId: string): Key => ({ pk: `qmsg#${part(messageId)}`, sk: 'src' });

/**
 * The experts' queue of a region ('*': every question): open questions by `waitingSince`,
 * answered ones by `answeredAt`, oldest first.
 */
export const questionQueueKey = (status: 'open' | 'answered', regionId: string, at: string, code: string): Key => ({
  pk: questionQueuePartition(status, regionId),
  sk: `${at}#${code}`,
});
export const questionQueuePartition = (status: 'open' | 'answered', regionId: string): string =>
  `qq#${status}#${part(regionId)}`;

/** Open questions below the top level, by when their next escalation is due. */
export const questionDueKey = (dueAt: string, code: string): Key => ({
  pk: questionDuePartition,
  sk: `${dueAt}#${code}`,
});
export const questionDuePartition = 'qdue';

/** A question's figures, in the (UTC) month it was asked, by `askedAt`. */
export const questionStatKey = (askedAt: string, code: string): Key => ({
  pk: questionStatPartition(askedAt.slice(0, 7)),
  sk: `${askedAt}#${code}`,
});
export const questionStatPartition = (month: string): string => `qasked#${month}`;

/** A number's questions, by code (DELETE ME). */
export const questionPhoneKey = (phone: string, code: string): Key => ({ pk: questionPhonePartition(phone), sk: code });
export const questionPhonePartition = (phone: string): string => `qphone#${phone}`;

// ── Voice line ──────────────────────────────────────────────────────────────────────
//
// A call is one item, written conditionally (absent on create, then on `version`); the
// dashboard's day index is gsi1 on that same item, so it can never disagree with it. The
// phone entries (DELETE ME) are separate items written BEFORE the call: a crash between the
// two leaves an entry naming a call that does not exist, which erasure skips and removes, and
// never a call holding a number that erasure cannot find. A caller (language, calls today) is
// one item per number. Clip recordings: every version is an item of its own (written once,
// then only its status moves), with one head item per clip (its newest and approved versions,
// what the studio lists with one Query) and one playable entry per approved clip (what the
// line reads every turn: one Query per language). Clip ids are ASCII `<family>.<name>` and
// languages `bo`/`zh`, so neither can hold a `#`; phones are E.164.

/** One call: its state and its record (the whole `Call`). */
export const callKey = (callId: string): Key => ({ pk: `VCALL#${part(callId)}`, sk: 'CALL' });

/**
 * gsi1 on the call item: the calls started on an Asia/Shanghai day, `<startedAt>#<callId>`
 * (read descending: newest first).
 */
export const callDayIndex = (day: string, startedAt?: string, callId?: string) => ({
  gsi1pk: `VCALLDAY#${day}`,
  ...(startedAt ? { gsi1sk: `${startedAt}#${part(callId ?? '')}` } : {}),
});

/** A number's calls, by call id (DELETE ME erases the number from each). */
export const callPhoneKey = (phone: string, callId: string): Key => ({ pk: callPhonePartition(phone), sk: callId });
export const callPhonePartition = (phone: string): string => `VCALLPH#${phone}`;

/** What the line remembers of a number: its language, its calls today. */
export const callerKey = (phone: string): Key => ({ pk: `VCALLER#${phone}`, sk: 'CALLER' });

/** Price asks by voice: one item, one attribute per commodity (`askCountAttribute`), moved by ADD. */
export const askCountsKey = (): Key => ({ pk: 'VASK', sk: 'COUNTS' });
export const askCountAttribute = (commodityId: string): string => `c:${commodityId}`;

/** A clip's head in a language: its newest recording and its approved one (the studio's list is this partition). */
export const clipHeadKey = (lang: string, id: string): Key => ({ pk: clipHeadPartition(lang), sk: id });
export const clipHeadPartition = (lang: string): string => `VCLIP#${lang}`;

/** One recording of a clip (version padded so that the newest is the last in the partition). */
export const clipVersionKey = (lang: string, id: string, version: number): Key => ({
  pk: clipVersionPartition(lang, id),
  sk: String(version).padStart(6, '0'),
});
export const clipVersionPartition = (lang: string, id: string): string => `VCLIPV#${lang}#${id}`;

/** What plays in a language: one entry per clip with an approved recording (key, length, version). */
export const playableClipKey = (lang: string, id: string): Key => ({ pk: playableClipPartition(lang), sk: id });
export const playableClipPartition = (lang: string): string => `VCLIPS#PLAYABLE#${lang}`;
