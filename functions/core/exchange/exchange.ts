/**
 * The exchange's use-cases (service.ts says what each does), with their ports bound. SMS to
 * other numbers than the sender — match notices, relayed messages, the confirmation asked of a
 * farmer, moderation outcomes, reminders — are sent here through the messenger, each with an
 * idempotency key derived from its cause, so a rerun (SMS redelivery, a retried request, the
 * sweep after a crash) sends nothing twice. Nothing here writes a phone number to the log.
 */
import { addDays, shanghaiDay, shanghaiMinute } from '../dates.ts';
import { AppError, type ErrorDetail } from '../errors.ts';
import type { Page, PageRequest } from '../paging.ts';
import { toE164 } from '../phone.ts';
import { formatFen, MAX_PRICE_FEN } from '../prices/money.ts';
import type { PriceRepository } from '../prices/ports.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { Messenger, RateLimiter } from '../sms/ports.ts';
import { smsName, smsUnitName } from '../sms/sms-names.ts';
import { auditEntry } from '../staff/audit.ts';
import type { Authorizer, Permission } from '../staff/authz.ts';
import { type Acting, guard } from '../staff/guard.ts';
import type { AuditLog } from '../staff/ports.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import type { SubscriberRepository } from '../subscribers/ports.ts';
import { codeSource, isOfferCode } from './codes.ts';
import { cleanFlaggedWords, flaggedWordIn, seedFlaggedWords } from './flagged.ts';
import { dayOf, type Line, offerLine } from './lines.ts';
import {
  type Conversation,
  type HoldReason,
  type Listing,
  type ListingStatus,
  liveStatuses,
  otherSide,
  type PublicListing,
  publicStatuses,
  type Side,
  sides,
} from './listing.ts';
import { findMatches, isOpenAt, nearestOpen } from './nearest.ts';
import { regionLevels } from './places.ts';
import type { ExchangeStore, OpenScope } from './ports.ts';
import { type PriceContext, priceHold, readPriceContext } from './price-context.ts';
import type { ExchangeService, ModerationItem, OfferInput, SmsAnswer, SmsSender } from './service.ts';
import type { ExchangeSettings } from './settings.ts';

export interface ExchangeDeps {
  store: ExchangeStore;
  /** Approved prices, for the price beside an offer and the far-from-market hold. */
  prices?: Pick<PriceRepository, 'latestForCommodity'>;
  catalog: () => Promise<Catalog>;
  messenger: Messenger;
  rateLimiter: RateLimiter;
  audit: AuditLog;
  authz: Authorizer;
  settings: ExchangeSettings;
  now: () => Date;
  log: (entry: Record<string, unknown>) => void;
  /** Subscribers: a farmer's home region when an operator names no place for their offer. */
  subscribers?: Pick<SubscriberRepository, 'get'>;
  /** Where codes and aliases get their digits (tests pass a seeded one). */
  random?: () => number;
}

/** The most one offer may be of (in its unit): past this it is a typing slip. */
export const MAX_QUANTITY = 10_000_000;
/** Offers a FIND answers with. */
export const FIND_LIMIT = 3;
/** A relayed text is cut to this many characters, so a relay stays within two SMS. */
export const RELAY_TEXT_MAX = 100;
/** Ended offers the owner's history is read back through for limits (pages of the owner index). */
const OWNER_PAGES = 5;
const DAY_SECONDS = 86_400;
/** "The first notice to a number carries the safety line": first within this window. */
const SAFETY_WINDOW_SECONDS = 365 * DAY_SECONDS;
const CONFLICT_ATTEMPTS = 4;
/** Expiry reminders go between these Asia/Shanghai hours. */
export const REMIND_FROM_HOUR = 9;
export const REMIND_UNTIL_HOUR = 20;

/** One SMS at most in Chinese and English, two in Tibetan (whose letters take more room). */
const REPLY_SEGMENTS = { bo: 2, zh: 1, en: 1 } as const;
/** Notices carrying an offer and the safety line may take one more. */
const NOTICE_SEGMENTS = { bo: 3, zh: 2, en: 2 } as const;

/** The reply's budget in the sender's language: one SMS in Chinese and English, two in Tibetan. */
const budgetOf = (sender: SmsSender): number => REPLY_SEGMENTS[sender.language ?? 'bo'];

export function createExchange(deps: ExchangeDeps): ExchangeService {
  const { store, settings } = deps;
  const random = deps.random ?? Math.random;
  const nowIso = () => deps.now().toISOString();

  // ── helpers ────────────────────────────────────────────────────────────────────────────

  /** The owner's offers, newest first, through a few pages of the owner index. */
  async function ownerListings(phone: string): Promise<Listing[]> {
    const out: Listing[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < OWNER_PAGES; i++) {
      const page = await store.byOwner(phone, { limit: 100, ...(cursor ? { cursor } : {}) });
      out.push(...page.items);
      cursor = page.cursor;
      if (!cursor) break;
    }
    return out;
  }

  /** An offer is open to the public: `open` and not past its end (the sweep may not have run yet). */
  const isOpen = (l: Listing, at = deps.now()) => isOpenAt(l, at);

  /** Writes a change of an offer, re-reading and re-applying on a version conflict. */
  async function change(
    code: string,
    apply: (current: Listing) => Listing | undefined,
  ): Promise<{ before: Listing; after: Listing } | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await store.get(code);
      if (!current) return undefined;
      const next = apply(current);
      if (!next) return { before: current, after: current };
      try {
        const after = await store.update({ ...next, version: current.version + 1, updatedAt: nowIso() });
        return { before: current, after };
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'conflict') || attempt >= CONFLICT_ATTEMPTS) throw err;
      }
    }
  }

  async function flaggedWords() {
    return (await store.flaggedWords()) ?? [...seedFlaggedWords];
  }

  /**
   * Sends lines to another number: the first line's key is the message's key (what a template
   * gateway registers), the rest follow.
   */
  async function sendLines(
    to: string,
    idempotencyKey: string,
    lines: (lang: Language) => Line[],
    maxSegments: Partial<Record<Language, number>> = NOTICE_SEGMENTS,
  ) {
    const probe = lines('en');
    await deps.messenger.send({
      to,
      key: probe[0]!.key,
      params: (lang) => lines(lang)[0]!.params ?? {},
      more: (lang) => lines(lang).slice(1),
      essential: false,
      idempotencyKey,
      maxSegments,
    });
  }

  // ── posting ────────────────────────────────────────────────────────────────────────────

  interface Draft extends OfferInput {
    phone: string;
    source: string;
    text?: string;
    postedBy?: string;
    status: 'open' | 'confirming';
  }

  type Refusal = { refused: 'blocked' | 'noPlace' | 'limitOpen' | 'limitDaily'; limit?: number };

  /** Checks and stores an offer (idempotent per source); undefined reasons: it went through. */
  async function place(
    draft: Draft,
    catalog: Catalog,
    homeRegionId: string | undefined,
  ): Promise<Refusal | { listing: Listing; context: PriceContext | undefined; created: boolean }> {
    const history = await ownerListings(draft.phone);
    const again = history.find((l) => l.source === draft.source);
    if (again) return { listing: again, context: await readPriceContext(deps.prices, again, catalog), created: false };
    if (await store.blockOf(draft.phone)) return { refused: 'blocked' };
    const marketRegion = draft.marketId ? catalog.markets.get(draft.marketId)?.regionId : undefined;
    const regionId = draft.regionId ?? marketRegion ?? homeRegionId;
    if (!regionId || !catalog.regions.has(regionId)) return { refused: 'noPlace' };
    const live = history.filter((l) => liveStatuses.includes(l.status) && !(l.status === 'open' && !isOpen(l)));
    if (live.length >= settings.maxOpenPerNumber) return { refused: 'limitOpen', limit: settings.maxOpenPerNumber };
    const today = shanghaiDay(deps.now());
    const postedToday = history.filter((l) => shanghaiDay(new Date(l.createdAt)) === today).length;
    if (postedToday >= settings.maxPostsPerDay) return { refused: 'limitDaily', limit: settings.maxPostsPerDay };

    const at = deps.now();
    const levels = regionLevels(catalog, regionId);
    const base: Listing = {
      code: '',
      side: draft.side,
      commodityId: draft.commodityId,
      quantity: draft.quantity,
      unitId: draft.unitId,
      priceFen: draft.priceFen,
      ...(draft.grade ? { grade: draft.grade } : {}),
      regionId,
      ...(draft.marketId ? { marketId: draft.marketId } : {}),
      ...levels,
      ownerPhone: draft.phone,
      status: draft.status,
      vouched: false,
      holdReasons: [],
      reports: 0,
      ...(draft.postedBy ? { postedBy: draft.postedBy } : {}),
      source: draft.source,
      ...(draft.text ? { text: draft.text.slice(0, 500) } : {}),
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + settings.offerDays * DAY_SECONDS * 1000).toISOString(),
      ...(draft.status === 'confirming'
        ? { confirmBy: new Date(at.getTime() + settings.confirmHours * 3600_000).toISOString() }
        : {}),
      updatedAt: at.toISOString(),
      version: 1,
    };
    const context = await readPriceContext(deps.prices, base, catalog);
    let listing = base;
    if (draft.status === 'open') {
      const holds = await holdsFor(base, context, catalog, { firstOfferCounts: true, history });
      listing = withHolds(base, holds.reasons, holds.vouched);
    }
    const next = codeSource('L', random);
    listing.code = next();
    const outcome = await store.create(listing, next);
    return { listing: outcome.listing, context, created: outcome.created };
  }

  /** Why an offer must wait for a moderator, and whether its owner is vouched for. */
  async function holdsFor(
    listing: Listing,
    context: PriceContext | undefined,
    catalog: Catalog,
    { firstOfferCounts, history }: { firstOfferCounts: boolean; history?: Listing[] },
  ): Promise<{ reasons: HoldReason[]; vouched: boolean }> {
    const vouched = Boolean(await store.vouchOf(listing.ownerPhone));
    const reasons: HoldReason[] = [];
    if (firstOfferCounts && !vouched) {
      const past = history ?? (await ownerListings(listing.ownerPhone));
      if (!past.some((l) => l.code !== listing.code && l.publishedAt)) reasons.push('first_offer');
    }
    if (listing.text && flaggedWordIn(listing.text, await flaggedWords())) reasons.push('flagged_word');
    const price = priceHold(listing, context, settings.priceFactor, catalog);
    if (price) reasons.push(price);
    return { reasons, vouched };
  }

  const withHolds = (listing: Listing, reasons: HoldReason[], vouched: boolean): Listing => ({
    ...listing,
    vouched,
    holdReasons: reasons,
    status: reasons.length ? 'reviewing' : 'open',
    ...(reasons.length ? {} : { publishedAt: listing.createdAt }),
  });

  /** The price beside an offer in a reply: optional, it gives way first. */
  function contextLine(context: PriceContext | undefined, lang: Language, catalog: Catalog, commodityId: string) {
    if (!context) return [];
    const market = catalog.markets.get(context.marketId);
    return [
      {
        key: 'exchange.context',
        params: {
          market: market ? smsName(market.names, lang) : context.marketId,
          price: formatFen(context.priceFen),
          unit: smsUnitName(context.unitId, commodityId, lang, catalog),
          date: context.date.slice(5),
        },
        optional: true,
      },
    ];
  }

  /** What the owner is told of their offer as posted (or as found again on a redelivery). */
  function postedLines(listing: Listing, context: PriceContext | undefined, lang: Language, catalog: Catalog) {
    const state: Line =
      listing.status === 'reviewing'
        ? { key: 'exchange.held', params: { code: listing.code } }
        : { key: 'exchange.posted', params: { code: listing.code, expires: dayOf(listing.expiresAt) } };
    return [offerLine(listing, lang, catalog), state, ...contextLine(context, lang, catalog, listing.commodityId)];
  }

  // ── matching ───────────────────────────────────────────────────────────────────────────

  /** Up to `limit` open offers of `side` and the commodity nearest `home` that `accept` takes (nearest.ts). */
  const nearest = (
    side: Side,
    commodityId: string,
    home: Pick<Listing, 'countyId' | 'prefectureId'>,
    limit: number,
    accept: (l: Listing) => boolean,
  ) => nearestOpen(store, { side, commodityId, home, limit }, accept, deps.now());

  /** Finds the offers that answer a newly opened one and tells both owners, once per pair. */
  async function matchNew(listing: Listing, catalog: Catalog): Promise<number> {
    const matches = await findMatches(store, catalog, listing, deps.now());
    let notified = 0;
    for (const other of matches) {
      const [a, b] = [listing.code, other.code].sort() as [string, string];
      // Told first, claimed after: a run that dies or fails in between has recorded the
      // notices (the queue sends them), and one that told nobody left no claim, so the rerun
      // tells them. A pair already claimed is told again, harmlessly: a notice's id derives
      // from the pair, so one already recorded is not sent twice.
      await matchNotice(listing, other, catalog);
      await matchNotice(other, listing, catalog);
      if (await store.claimPair(a, b, nowIso())) notified++;
    }
    return notified;
  }

  /** Tells the owner of `own` about `other`, within their daily notice limit; the first ever carries the safety line. */
  async function matchNotice(own: Listing, other: Listing, catalog: Catalog) {
    const day = await deps.rateLimiter.hit(
      'exchange-match',
      own.ownerPhone,
      settings.matchNoticesPerDay,
      DAY_SECONDS,
      deps.now(),
    );
    if (!day.allowed) {
      deps.log({ level: 'info', msg: 'match notice over the daily limit', code: own.code, other: other.code });
      return;
    }
    const first = (await deps.rateLimiter.hit('exchange-safety', own.ownerPhone, 1, SAFETY_WINDOW_SECONDS, deps.now()))
      .allowed;
    await sendLines(own.ownerPhone, `exchange:match:${own.code}:${other.code}`, (lang) => [
      // (the header gives way first: in Chinese the other offer and how to reach it fill one SMS)
      { key: 'exchange.match', params: { code: own.code }, optional: true },
      offerLine(other, lang, catalog),
      // (not `exchange.match.howto`: `exchange.match` is a string, so it cannot also be a group)
      { key: 'exchange.matchHowto', params: { code: other.code } },
      ...(first ? [{ key: 'exchange.safety' }] : []),
    ]);
  }

  // ── conversations ──────────────────────────────────────────────────────────────────────

  /**
   * How a number is signed to the owner of `about`: its own open offer of the other side of the
   * same commodity (so the owner sees what it offers), else its alias.
   */
  async function signatureOf(phone: string, about: Listing): Promise<string> {
    const own = (await ownerListings(phone)).find(
      (l) => isOpen(l) && l.commodityId === about.commodityId && l.side === otherSide(about.side),
    );
    return own ? own.code : store.aliasOf(phone, codeSource('A', random));
  }

  type Resolved =
    /** The sender writes about someone else's offer: they are the conversation's `other`. */
    | { role: 'other'; listing: Listing; conversation?: Conversation }
    /** The sender owns the offer the conversation is about, and answers its other side. */
    | { role: 'owner'; conversation: Conversation };

  /**
   * What `MSG <to>` / `SHARE <to>` from `phone` is about. An offer code of someone else's
   * open offer: a conversation with its owner (new or going on). An alias, or the offer code
   * someone signed with: the newest conversation about one of the sender's own offers with
   * that number. Anything else: undefined (the same "no such offer" whatever the reason).
   */
  async function resolve(phone: string, to: string): Promise<Resolved | 'own' | undefined> {
    let counterpart: string | undefined;
    if (isOfferCode(to)) {
      const listing = await store.get(to);
      if (!listing) return undefined;
      if (listing.ownerPhone === phone) return 'own';
      const conversation = await store.conversation(to, phone);
      // An offer the sender writes to as a stranger must be open; an ongoing conversation may go on.
      if (conversation || isOpen(listing)) {
        // …unless the sender owns an offer this number wrote to signing with this code: then they answer.
        const answering = (await store.conversationsOf(listing.ownerPhone)).find(
          (c) => c.ownerPhone === phone && c.otherName === to,
        );
        if (answering && !conversation) return { role: 'owner', conversation: answering };
        return { role: 'other', listing, ...(conversation ? { conversation } : {}) };
      }
      counterpart = listing.ownerPhone;
    } else {
      counterpart = await store.phoneOfAlias(to);
    }
    if (!counterpart) return undefined;
    const theirs = (await store.conversationsOf(counterpart)).find((c) => c.ownerPhone === phone);
    return theirs ? { role: 'owner', conversation: theirs } : undefined;
  }

  async function openConversation(listing: Listing, phone: string): Promise<Conversation> {
    const at = nowIso();
    const fresh: Conversation = {
      code: listing.code,
      ownerPhone: listing.ownerPhone,
      otherPhone: phone,
      otherName: await signatureOf(phone, listing),
      ownerShared: false,
      otherShared: false,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    try {
      return await store.saveConversation(fresh);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      const existing = await store.conversation(listing.code, phone);
      if (!existing) throw err;
      return existing;
    }
  }

  async function saveConversationChange(
    conversation: Conversation,
    apply: (c: Conversation) => Conversation,
  ): Promise<Conversation> {
    let current = conversation;
    for (let attempt = 1; ; attempt++) {
      const next = apply(current);
      if (JSON.stringify(next) === JSON.stringify(current)) return current;
      try {
        return await store.saveConversation({ ...next, version: current.version + 1, updatedAt: nowIso() });
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'conflict') || attempt >= CONFLICT_ATTEMPTS) throw err;
        const reread = await store.conversation(current.code, current.otherPhone);
        if (!reread) throw err;
        current = reread;
      }
    }
  }

  // ── staff ──────────────────────────────────────────────────────────────────────────────

  async function audit(acting: Acting, action: string, target: string, regions: string[], detail = {}) {
    await deps.audit.record(
      auditEntry(
        {
          actor: acting.actor.phone,
          action,
          target,
          ...(regions.length ? { regions } : {}),
          outcome: 'ok',
          ...(Object.keys(detail).length ? { detail } : {}),
          ...(acting.requestId ? { requestId: acting.requestId } : {}),
        },
        deps.now(),
      ),
    );
  }

  const guardDeps = () => ({ authz: deps.authz, audit: deps.audit, now: deps.now });

  async function staffListing(acting: Acting, code: string, permission: Permission = 'exchange.moderate') {
    const listing = await store.get(code);
    if (!listing) throw new AppError('not_found');
    await guard(guardDeps(), acting, permission, [listing.regionId]);
    return listing;
  }

  /** A moderator's change of an offer's status, told to the owner by SMS. */
  async function moderate(
    acting: Acting,
    code: string,
    action: 'approve' | 'reject' | 'hide',
    reason?: string,
  ): Promise<Listing> {
    const listing = await staffListing(acting, code);
    const from: Record<typeof action, readonly ListingStatus[]> = {
      // An open offer that was reported is approved to keep it: its reports are cleared.
      approve: ['reviewing', 'hidden', 'open'],
      reject: ['reviewing', 'open', 'hidden'],
      hide: ['reviewing', 'open'],
    };
    const to: Record<typeof action, ListingStatus> = { approve: 'open', reject: 'rejected', hide: 'hidden' };
    const vouched = action === 'approve' ? Boolean(await store.vouchOf(listing.ownerPhone)) : listing.vouched;
    const done = await change(code, (current) => {
      if (current.status === to[action] && !(action === 'approve' && current.reports > 0)) return undefined;
      if (!from[action].includes(current.status)) throw new AppError('conflict', { status: current.status });
      return {
        ...current,
        status: to[action],
        vouched,
        ...(action === 'approve'
          ? {
              publishedAt: current.publishedAt ?? nowIso(),
              reports: 0,
              holdReasons: current.holdReasons.filter((r) => r !== 'reported'),
            }
          : {}),
        ...(reason ? { moderationReason: reason.slice(0, 200) } : {}),
        ...(action !== 'approve' ? { endedAt: nowIso() } : {}),
      };
    });
    if (!done) throw new AppError('not_found');
    const after = done.after;
    await audit(acting, `exchange.${action}`, code, [after.regionId], reason ? { reason: reason.slice(0, 200) } : {});
    const catalog = await deps.catalog();
    const key = { approve: 'exchange.approved', reject: 'exchange.rejected', hide: 'exchange.hidden' }[action];
    await sendLines(
      after.ownerPhone,
      `exchange:${action}:${code}:${after.version}`,
      () => [{ key, params: { code, ...(action === 'approve' ? {} : { reason: (reason ?? '').slice(0, 60) }) } }],
      REPLY_SEGMENTS,
    );
    if (action === 'approve' && done.before.status !== 'open') await matchNew(after, catalog);
    return after;
  }

  const toPublic = (l: Listing, at = deps.now()): PublicListing => ({
    code: l.code,
    side: l.side,
    commodityId: l.commodityId,
    quantity: l.quantity,
    unit: l.unitId,
    price: l.priceFen === null ? null : formatFen(l.priceFen),
    grade: l.grade ?? null,
    regionId: l.regionId,
    marketId: l.marketId ?? null,
    status: l.status === 'open' && !isOpen(l, at) ? 'expired' : l.status,
    vouched: l.vouched,
    createdAt: l.createdAt,
    expiresAt: l.expiresAt,
  });

  /** The place scope a region names: a county (or below), a prefecture, or everywhere. */
  function scopeOf(catalog: Catalog, regionId: string | undefined): OpenScope {
    if (!regionId || regionId === ALL_REGIONS) return { level: 'all' };
    const region = catalog.regions.get(regionId);
    if (!region) throw new AppError('not_found', {}, [{ path: 'region', message: 'unknown region' }]);
    if (region.level === 'prefecture') return { level: 'prefecture', regionId };
    const levels = regionLevels(catalog, regionId);
    return levels.countyId ? { level: 'county', regionId: levels.countyId } : { level: 'all' };
  }

  /**
   * A page of open offers. The store holds one index per side; without a side both are read,
   * and the cursor carries where each got to.
   */
  async function openPage(query: {
    side?: Side;
    commodityId?: string;
    regionId?: string;
    cursor?: string;
    limit: number;
  }): Promise<Page<Listing>> {
    const catalog = await deps.catalog();
    const scope = scopeOf(catalog, query.regionId);
    // Without a commodity only the side-wide index exists: a region is then a filter on it.
    const indexScope: OpenScope = query.commodityId ? scope : { level: 'all' };
    const inRegion = (l: Listing) =>
      scope.level === 'all' ||
      (scope.level === 'county' ? l.countyId === scope.regionId : l.prefectureId === scope.regionId);
    const wanted = query.side ? [query.side] : [...sides];
    const cursors = decodeCursors(query.cursor, wanted);
    const items: Listing[] = [];
    const next: Partial<Record<Side, string>> = {};
    for (const side of wanted) {
      if (cursors[side] === null) continue;
      const page: PageRequest = { limit: query.limit, ...(cursors[side] ? { cursor: cursors[side]! } : {}) };
      const got = await store.open({
        side,
        ...(query.commodityId ? { commodityId: query.commodityId } : {}),
        scope: indexScope,
        page,
      });
      items.push(...got.items.filter((l) => isOpen(l) && inRegion(l)));
      if (got.cursor) next[side] = got.cursor;
    }
    items.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.code.localeCompare(b.code));
    const more = wanted.some((s) => next[s]);
    return { items, ...(more ? { cursor: encodeCursors(wanted, next) } : {}) };
  }

  // ── the service ────────────────────────────────────────────────────────────────────────

  const service: ExchangeService = {
    async post(sender, offer, text) {
      const catalog = await deps.catalog();
      // The SMS reader checks all this; a use-case still refuses what it cannot store.
      if (offerProblems(offer, catalog).length) return answerTo(sender, [{ key: `exchange.usage.${offer.side}` }]);
      const placed = await place(
        { ...offer, phone: sender.phone, source: sender.messageId, text, status: 'open' },
        catalog,
        sender.homeRegionId,
      );
      if ('refused' in placed) return answerTo(sender, refusalLines(placed));
      const lang = languageOf(sender);
      // Also when the offer was placed by an earlier run of this message that died or failed
      // before it had matched (a redelivery finds the offer, not created): matching again is
      // safe, since each pair is told under ids derived from the pair.
      if (placed.listing.status === 'open') await matchNew(placed.listing, catalog);
      if (placed.created)
        deps.log({
          level: 'info',
          msg: 'offer posted',
          code: placed.listing.code,
          status: placed.listing.status,
          holds: placed.listing.holdReasons,
        });
      return answerTo(sender, postedLines(placed.listing, placed.context, lang, catalog));
    },

    async end(sender, code, as) {
      const listing = await store.get(code);
      if (!listing || listing.ownerPhone !== sender.phone) return answerTo(sender, [notYours(code)]);
      const done = await change(code, (current) => {
        if (current.status === as) return undefined;
        if (!liveStatuses.includes(current.status)) return undefined;
        return { ...current, status: as, endedAt: nowIso() };
      });
      const after = done?.after ?? listing;
      if (after.status !== as) return answerTo(sender, [{ key: 'exchange.notOpen', params: { code } }]);
      return answerTo(sender, [{ key: as === 'sold' ? 'exchange.sold' : 'exchange.cancelled', params: { code } }]);
    },

    async renew(sender, code) {
      const listing = await store.get(code);
      if (!listing || listing.ownerPhone !== sender.phone) return answerTo(sender, [notYours(code)]);
      const at = deps.now();
      const expiresAt = new Date(at.getTime() + settings.offerDays * DAY_SECONDS * 1000).toISOString();
      // Renewed within the hour already (a redelivery): the same answer, no second write.
      const done = await change(code, (current) => {
        const renewable = current.status === 'open' || current.status === 'expired' || current.status === 'reviewing';
        if (!renewable) return undefined;
        if (
          current.expiresAt >= new Date(at.getTime() + (settings.offerDays * DAY_SECONDS - 3600) * 1000).toISOString()
        )
          return undefined;
        return {
          ...current,
          status: current.status === 'expired' ? 'open' : current.status,
          expiresAt,
        };
      });
      const after = done?.after ?? listing;
      if (!['open', 'reviewing'].includes(after.status))
        return answerTo(sender, [{ key: 'exchange.notOpen', params: { code } }]);
      return answerTo(sender, [{ key: 'exchange.renewed', params: { code, expires: dayOf(after.expiresAt) } }]);
    },

    async list(sender) {
      const catalog = await deps.catalog();
      const lang = languageOf(sender);
      const live = (await ownerListings(sender.phone)).filter(
        (l) => liveStatuses.includes(l.status) && (l.status !== 'open' || isOpen(l)),
      );
      if (!live.length) return answerTo(sender, [{ key: 'exchange.list.none' }]);
      // One offer: its line is the answer. Several: every code first, in case their lines do not all fit.
      const head: Line[] =
        live.length > 1
          ? [{ key: 'exchange.list.head', params: { count: live.length, codes: live.map((l) => l.code).join(' ') } }]
          : [];
      return answerTo(sender, [
        ...head,
        ...live.flatMap((l, i) => [
          offerLine(l, lang, catalog, live.length > 1 ? { optional: true } : {}),
          ...(l.status === 'open'
            ? []
            : [{ key: 'exchange.list.waiting', params: { code: l.code }, optional: i > 0 } as Line]),
        ]),
      ]);
    },

    async find(sender, query) {
      const catalog = await deps.catalog();
      const lang = languageOf(sender);
      const home = regionLevels(catalog, query.regionId ?? sender.homeRegionId);
      const found = await nearest(
        query.side,
        query.commodityId,
        home,
        FIND_LIMIT,
        (l) => l.ownerPhone !== sender.phone,
      );
      const commodity = smsName(
        catalog.commodities.get(query.commodityId)?.names ?? { bo: '', zh: '', en: query.commodityId },
        lang,
      );
      if (!found.length) return answerTo(sender, [{ key: 'exchange.find.none', params: { commodity } }]);
      return answerTo(sender, [
        { key: 'exchange.find.head', params: { commodity } },
        ...found.map((l, i) => offerLine(l, lang, catalog, i > 0 ? { optional: true } : {})),
        { key: 'exchange.find.howto', params: { code: found[0]!.code }, optional: true },
      ]);
    },

    async message(sender, to, text) {
      if (await store.blockOf(sender.phone)) return answerTo(sender, [{ key: 'exchange.blocked' }]);
      const resolved = await resolve(sender.phone, to);
      if (resolved === 'own') return answerTo(sender, [{ key: 'exchange.ownOffer', params: { code: to } }]);
      if (!resolved) return answerTo(sender, [notYours(to)]);
      const body = text.trim();
      if (!body) return answerTo(sender, [{ key: 'exchange.codeUsage.msg' }]);
      if (flaggedWordIn(body, await flaggedWords())) {
        deps.log({ level: 'info', msg: 'relayed message held: flagged word', to });
        return answerTo(sender, [{ key: 'exchange.relayFlagged' }]);
      }
      const conversation =
        resolved.role === 'other'
          ? (resolved.conversation ?? (await openConversation(resolved.listing, sender.phone)))
          : resolved.conversation;
      const day = await deps.rateLimiter.hit(
        'exchange-relay',
        sender.phone,
        settings.relaysPerDay,
        DAY_SECONDS,
        deps.now(),
      );
      if (!day.allowed)
        return answerTo(sender, [{ key: 'exchange.relayLimitDay', params: { limit: settings.relaysPerDay } }]);
      const perOffer = await deps.rateLimiter.hit(
        'exchange-relay-offer',
        `${sender.phone}>${conversation.code}`,
        settings.relaysPerOfferPerDay,
        DAY_SECONDS,
        deps.now(),
      );
      if (!perOffer.allowed)
        return answerTo(sender, [
          {
            key: 'exchange.relayLimitOffer',
            params: { limit: settings.relaysPerOfferPerDay, code: conversation.code },
          },
        ]);
      const [recipient, signedAs] =
        resolved.role === 'other'
          ? [conversation.ownerPhone, conversation.otherName]
          : [conversation.otherPhone, conversation.code];
      const cut = [...body].length > RELAY_TEXT_MAX ? `${[...body].slice(0, RELAY_TEXT_MAX - 1).join('')}…` : body;
      await sendLines(recipient, `exchange:relay:${sender.messageId}`, () => [
        { key: 'exchange.relay', params: { from: signedAs, text: cut } },
      ]);
      // The conversation moves to the top of both sides' lists (an alias answers the newest).
      await saveConversationChange(conversation, (c) => ({ ...c, updatedAt: nowIso() }));
      deps.log({ level: 'info', msg: 'message relayed', about: conversation.code });
      return answerTo(sender, [{ key: 'exchange.relayed', params: { to } }]);
    },

    async share(sender, to) {
      const resolved = await resolve(sender.phone, to);
      if (resolved === 'own') return answerTo(sender, [{ key: 'exchange.ownOffer', params: { code: to } }]);
      if (!resolved) return answerTo(sender, [notYours(to)]);
      const conversation =
        resolved.role === 'other'
          ? (resolved.conversation ?? (await openConversation(resolved.listing, sender.phone)))
          : resolved.conversation;
      const after = await saveConversationChange(conversation, (c) =>
        resolved.role === 'other' ? { ...c, otherShared: true } : { ...c, ownerShared: true },
      );
      if (after.ownerShared && after.otherShared) {
        // The sender learns the other's number in the reply; the other side by SMS, once
        // (the key makes a repeated SHARE send nothing new).
        const forOwner = { name: after.otherName, phone: after.otherPhone };
        const forOther = { name: after.code, phone: after.ownerPhone };
        const [mine, theirs, theirPhone] =
          resolved.role === 'other' ? [forOther, forOwner, after.ownerPhone] : [forOwner, forOther, after.otherPhone];
        await sendLines(theirPhone, `exchange:share:${after.code}:${after.createdAt}:${resolved.role}`, () => [
          { key: 'exchange.share.done', params: theirs },
        ]);
        deps.log({ level: 'info', msg: 'numbers shared', about: after.code });
        return answerTo(sender, [{ key: 'exchange.share.done', params: mine }]);
      }
      // Ask the other side, once per side.
      const [askTo, askFrom] =
        resolved.role === 'other' ? [after.ownerPhone, after.otherName] : [after.otherPhone, after.code];
      await sendLines(askTo, `exchange:share-ask:${after.code}:${after.createdAt}:${resolved.role}`, () => [
        { key: 'exchange.share.asked', params: { from: askFrom } },
      ]);
      return answerTo(sender, [{ key: 'exchange.share.waiting', params: { to } }]);
    },

    async report(sender, code, text) {
      const listing = await store.get(code);
      if (!listing || (!publicStatuses.includes(listing.status) && listing.status !== 'reviewing'))
        return answerTo(sender, [notYours(code)]);
      if (listing.ownerPhone === sender.phone)
        return answerTo(sender, [{ key: 'exchange.ownOffer', params: { code } }]);
      const added = await store.addReport(code, sender.phone, text.trim().slice(0, 300), nowIso());
      if (added) {
        const done = await change(code, (current) => {
          const reports = current.reports + 1;
          const hide = reports >= settings.reportsToHide && current.status === 'open';
          return {
            ...current,
            reports,
            holdReasons: current.holdReasons.includes('reported')
              ? current.holdReasons
              : [...current.holdReasons, 'reported'],
            ...(hide ? { status: 'reviewing' as const } : {}),
          };
        });
        // Still public: its moderators see it among the reported offers until they decide.
        if (done?.after.status === 'open') await store.queueReported(done.after, nowIso());
        deps.log({ level: 'info', msg: 'offer reported', code });
      }
      return answerTo(sender, [{ key: 'exchange.report.done', params: { code } }]);
    },

    async confirm(sender, choice, code) {
      const waiting = (await store.confirming(sender.phone)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const listing = code ? waiting.find((l) => l.code === code) : waiting[0];
      if (!listing) {
        // A YES repeated after it was done (a redelivery, or the farmer unsure): say what it is now.
        const known = code ? await store.get(code) : undefined;
        if (known && known.ownerPhone === sender.phone && known.source && known.status === 'open')
          return answerTo(sender, [{ key: 'exchange.confirm.yes', params: { code: known.code } }]);
        return answerTo(sender, [{ key: 'exchange.confirm.none' }]);
      }
      const catalog = await deps.catalog();
      if (listing.confirmBy && listing.confirmBy <= nowIso()) {
        await change(listing.code, (c) =>
          c.status === 'confirming' ? { ...c, status: 'discarded', endedAt: nowIso() } : undefined,
        );
        return answerTo(sender, [{ key: 'exchange.confirm.expired', params: { code: listing.code } }]);
      }
      if (choice === 'no') {
        await change(listing.code, (c) =>
          c.status === 'confirming' ? { ...c, status: 'discarded', endedAt: nowIso() } : undefined,
        );
        return answerTo(sender, [{ key: 'exchange.confirm.no', params: { code: listing.code } }]);
      }
      const context = await readPriceContext(deps.prices, listing, catalog);
      // An operator posted it, knowing the farmer: no first-offer hold; words and prices still count.
      const holds = await holdsFor(listing, context, catalog, { firstOfferCounts: false });
      const done = await change(listing.code, (c) => {
        if (c.status !== 'confirming') return undefined;
        const at = deps.now();
        return {
          ...withHolds(c, holds.reasons, holds.vouched),
          createdAt: c.createdAt,
          expiresAt: new Date(at.getTime() + settings.offerDays * DAY_SECONDS * 1000).toISOString(),
          ...(holds.reasons.length ? {} : { publishedAt: at.toISOString() }),
        };
      });
      const after = done?.after ?? listing;
      if (done && done.before.status === 'confirming' && after.status === 'open') await matchNew(after, catalog);
      const lang = languageOf(sender);
      return answerTo(sender, [
        { key: 'exchange.confirm.yes', params: { code: after.code } },
        ...postedLines(after, context, lang, catalog).slice(1),
      ]);
    },

    async publicList(query) {
      const limit = Math.min(Math.max(query.limit ?? 20, 1), 100);
      const page = await openPage({ ...query, limit });
      return { items: page.items.map((l) => toPublic(l)), ...(page.cursor ? { cursor: page.cursor } : {}) };
    },

    async publicGet(code) {
      const listing = await store.get(code);
      if (!listing || !publicStatuses.includes(listing.status)) return undefined;
      return toPublic(listing);
    },

    async moderationQueue(acting, query) {
      const regionId = query.regionId ?? (await defaultRegion(acting));
      await guard(guardDeps(), acting, 'exchange.moderate', [regionId]);
      const page = await store.moderationQueue(regionId, {
        limit: 20,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      // Offers reported but still public head the first page (few: three reports take one off).
      const reported = query.cursor ? [] : (await store.reportedQueue(regionId, { limit: 50 })).items;
      const catalog = await deps.catalog();
      const seen = new Set<string>();
      const listings = [...reported, ...page.items].filter((l) => !seen.has(l.code) && seen.add(l.code));
      const items = await Promise.all(listings.map((l) => moderationView(l, catalog)));
      // The queue shows owners' numbers to staff: every look at it is in the audit log.
      if (items.length)
        await audit(acting, 'exchange.queue_view', regionId, regionId === ALL_REGIONS ? [] : [regionId], {
          offers: items.map((i) => i.listing.code),
        });
      return { items, ...(page.cursor ? { cursor: page.cursor } : {}) };
    },

    async moderationItem(acting, code) {
      const listing = await staffListing(acting, code);
      await audit(acting, 'exchange.view', code, [listing.regionId]);
      return moderationView(listing, await deps.catalog());
    },

    approve: (acting, code) => moderate(acting, code, 'approve'),
    reject: (acting, code, reason) => moderate(acting, code, 'reject', reason),
    hide: (acting, code, reason) => moderate(acting, code, 'hide', reason),

    async vouch(acting, phone) {
      await guard(guardDeps(), acting, 'exchange.moderate');
      const existing = await store.vouchOf(phone);
      if (existing) return existing;
      const vouch = { phone, by: acting.actor.phone, at: nowIso() };
      await store.putVouch(vouch);
      await audit(acting, 'exchange.vouch', phone, []);
      return vouch;
    },
    async unvouch(acting, phone) {
      await guard(guardDeps(), acting, 'exchange.moderate');
      await store.deleteVouch(phone);
      await audit(acting, 'exchange.unvouch', phone, []);
    },
    async listVouches(acting, cursor) {
      await guard(guardDeps(), acting, 'exchange.moderate');
      return store.listVouches({ limit: 50, ...(cursor ? { cursor } : {}) });
    },
    async block(acting, phone, reason) {
      await guard(guardDeps(), acting, 'exchange.moderate');
      const existing = await store.blockOf(phone);
      const block = existing ?? { phone, by: acting.actor.phone, at: nowIso(), reason: reason.slice(0, 200) };
      if (!existing) {
        await store.putBlock(block);
        await audit(acting, 'exchange.block', phone, [], { reason: block.reason });
      }
      // Its live offers come down with it (each a conditional change; a rerun finds them done).
      for (const l of await ownerListings(phone)) {
        if (!liveStatuses.includes(l.status)) continue;
        await change(l.code, (c) =>
          liveStatuses.includes(c.status)
            ? { ...c, status: 'hidden', moderationReason: block.reason, endedAt: nowIso() }
            : undefined,
        );
      }
      await sendLines(
        phone,
        `exchange:block:${phone}:${block.at}`,
        () => [{ key: 'exchange.blockedNotice', params: { reason: block.reason.slice(0, 60) } }],
        REPLY_SEGMENTS,
      );
      return block;
    },
    async unblock(acting, phone) {
      await guard(guardDeps(), acting, 'exchange.moderate');
      await store.deleteBlock(phone);
      await audit(acting, 'exchange.unblock', phone, []);
    },
    async listBlocks(acting, cursor) {
      await guard(guardDeps(), acting, 'exchange.moderate');
      return store.listBlocks({ limit: 50, ...(cursor ? { cursor } : {}) });
    },
    async flaggedWords(acting) {
      await guard(guardDeps(), acting, 'exchange.words');
      return flaggedWords();
    },
    async saveFlaggedWords(acting, words) {
      await guard(guardDeps(), acting, 'exchange.words');
      const clean = cleanFlaggedWords(words);
      await store.saveFlaggedWords(clean, acting.actor.phone, nowIso());
      await audit(acting, 'exchange.flagged_words', 'flagged-words', [], { count: clean.length });
      return clean;
    },

    async postForFarmer(acting, input, requestId) {
      const catalog = await deps.catalog();
      const phone = toE164(input.phone);
      const problems = offerProblems(input, catalog);
      if (!phone) problems.unshift({ path: 'phone', message: 'not a phone number', key: 'exchange:field.phone' });
      if (problems.length) throw new AppError('validation_failed', {}, problems);
      const named = input.regionId ?? (input.marketId ? catalog.markets.get(input.marketId)?.regionId : undefined);
      // No place named: the farmer's home county, if they gave one by SMS (JOIN).
      const home = named ? undefined : (await deps.subscribers?.get(phone!))?.homeRegionId;
      const regionId = named ?? home;
      // The operator must hold the right where the offer will be, not merely somewhere.
      await guard(guardDeps(), acting, 'exchange.post', regionId ? [regionId] : []);
      const placed = await place(
        { ...input, phone: phone!, source: `web:${requestId}`, postedBy: acting.actor.phone, status: 'confirming' },
        catalog,
        home,
      );
      if ('refused' in placed) {
        const field = placed.refused === 'noPlace' ? 'region' : 'phone';
        throw new AppError('validation_failed', {}, [
          {
            path: field,
            message: `refused: ${placed.refused}`,
            key: `exchange:refused.${placed.refused}`,
            params: placed.limit ? { limit: placed.limit } : {},
          },
        ]);
      }
      const listing = placed.listing;
      if (placed.created) {
        await audit(acting, 'exchange.post_for_farmer', listing.code, [listing.regionId]);
      }
      await sendLines(listing.ownerPhone, `exchange:confirm-ask:${listing.code}`, (lang) => [
        offerLine(listing, lang, catalog),
        { key: 'exchange.confirm.ask', params: { code: listing.code, hours: settings.confirmHours } },
      ]);
      return listing;
    },

    async marketSheet(acting, query) {
      await guard(guardDeps(), acting, 'exchange.moderate', [query.regionId]);
      const out: Listing[] = [];
      for (const side of sides) {
        let cursor: string | undefined;
        for (let i = 0; i < 5; i++) {
          const page = await openPage({
            side,
            regionId: query.regionId,
            ...(query.commodityId ? { commodityId: query.commodityId } : {}),
            ...(cursor ? { cursor } : {}),
            limit: 100,
          });
          out.push(...page.items);
          cursor = page.cursor;
          if (!cursor || out.length >= 200) break;
        }
      }
      return out.slice(0, 400).map((l) => toPublic(l));
    },

    async sweep(at) {
      const today = shanghaiDay(at);
      const counts = { reminded: 0, expired: 0, discarded: 0 };
      // Yesterday and today: anything due that a missed run left; tomorrow: the reminders.
      for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
        let cursor: string | undefined;
        do {
          const page = await store.dueOn(day, { limit: 100, ...(cursor ? { cursor } : {}) });
          for (const listing of page.items) await sweepOne(listing, at, today, counts);
          cursor = page.cursor;
        } while (cursor);
      }
      if (counts.reminded + counts.expired + counts.discarded)
        deps.log({ level: 'info', msg: 'exchange sweep', ...counts });
      return counts;
    },

    erase: (phone) => store.eraseNumber(phone),
  };

  async function sweepOne(
    listing: Listing,
    at: Date,
    today: string,
    counts: { reminded: number; expired: number; discarded: number },
  ) {
    const iso = at.toISOString();
    if (listing.status === 'confirming' && listing.confirmBy && listing.confirmBy <= iso) {
      const done = await change(listing.code, (c) =>
        c.status === 'confirming' && c.confirmBy && c.confirmBy <= iso
          ? { ...c, status: 'discarded', endedAt: iso }
          : undefined,
      );
      if (done && done.before.status === 'confirming' && done.after.status === 'discarded') counts.discarded++;
      return;
    }
    if (listing.status !== 'open') return;
    if (listing.expiresAt <= iso) {
      const done = await change(listing.code, (c) =>
        c.status === 'open' && c.expiresAt <= iso ? { ...c, status: 'expired', endedAt: iso } : undefined,
      );
      if (done && done.before.status === 'open' && done.after.status === 'expired') counts.expired++;
      return;
    }
    const endsOn = shanghaiDay(new Date(listing.expiresAt));
    // Reminders go in the daytime only: the hourly sweep would otherwise wake people at midnight.
    const hour = Number(shanghaiMinute(iso).slice(11, 13));
    if (hour < REMIND_FROM_HOUR || hour >= REMIND_UNTIL_HOUR) return;
    if (endsOn === addDays(today, 1) && listing.remindedFor !== listing.expiresAt) {
      await sendLines(
        listing.ownerPhone,
        `exchange:remind:${listing.code}:${listing.expiresAt}`,
        () => [{ key: 'exchange.reminder', params: { code: listing.code, expires: dayOf(listing.expiresAt) } }],
        REPLY_SEGMENTS,
      );
      await change(listing.code, (c) =>
        c.expiresAt === listing.expiresAt ? { ...c, remindedFor: c.expiresAt } : undefined,
      );
      counts.reminded++;
    }
  }

  async function moderationView(listing: Listing, catalog: Catalog): Promise<ModerationItem> {
    const [reports, priceContext] = await Promise.all([
      store.reportsAbout(listing.code),
      readPriceContext(deps.prices, listing, catalog),
    ]);
    return {
      listing,
      reasons: listing.holdReasons,
      reports: reports.map((r) => ({ text: r.text, at: r.at })),
      ...(priceContext ? { priceContext } : {}),
    };
  }

  /** The region a moderator's queue shows by default: everywhere if they may, else their first region. */
  async function defaultRegion(acting: Acting): Promise<string> {
    if (await deps.authz.can(acting.actor, 'exchange.moderate', ALL_REGIONS)) return ALL_REGIONS;
    const grant = acting.actor.grants.find((g) => g.role === 'operator' || g.role === 'admin');
    return grant?.regions[0] ?? ALL_REGIONS;
  }

  /** The sender's language, for names in their reply (the pipeline composes in it too). */
  const languageOf = (sender: SmsSender): Language => sender.language ?? 'bo';

  return service;
}

/** What is wrong with an offer's fields (an operator's form, or a reader's slip), as form field details. */
function offerProblems(offer: OfferInput, catalog: Catalog): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const field = (path: string, message: string) => problems.push({ path, message, key: `exchange:field.${path}` });
  if (!sides.includes(offer.side)) field('side', 'sell or buy');
  if (!catalog.commodities.has(offer.commodityId)) field('commodity', 'unknown commodity');
  if (!catalog.units?.has(offer.unitId)) field('unit', 'unknown unit');
  if (!(Number.isFinite(offer.quantity) && offer.quantity > 0 && offer.quantity <= MAX_QUANTITY))
    field('quantity', `a number above 0, at most ${MAX_QUANTITY}`);
  if (
    offer.priceFen !== null &&
    !(Number.isSafeInteger(offer.priceFen) && offer.priceFen > 0 && offer.priceFen <= MAX_PRICE_FEN)
  )
    field('price', 'a price in yuan above 0');
  if (offer.regionId !== undefined && !catalog.regions.has(offer.regionId)) field('region', 'unknown region');
  if (offer.marketId !== undefined && !catalog.markets.has(offer.marketId)) field('region', 'unknown market');
  if (offer.grade !== undefined && offer.grade.length > 40) field('grade', 'at most 40 characters');
  return problems;
}

const notYours = (code: string): Line => ({ key: 'exchange.notYours', params: { code } });

const answerTo = (sender: SmsSender, lines: Line[]): SmsAnswer => ({ lines, maxSegments: budgetOf(sender) });

function refusalLines(refusal: { refused: string; limit?: number }): Line[] {
  const key = {
    blocked: 'exchange.blocked',
    noPlace: 'exchange.noPlace',
    limitOpen: 'exchange.limitOpen',
    limitDaily: 'exchange.limitDaily',
  }[refusal.refused]!;
  return [{ key, ...(refusal.limit ? { params: { limit: refusal.limit } } : {}) }];
}

/** A cursor over both sides' indexes: where each got to, or null when it is done. */
function encodeCursors(wanted: readonly Side[], next: Partial<Record<Side, string>>): string {
  const state = Object.fromEntries(wanted.map((s) => [s, next[s] ?? null]));
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeCursors(cursor: string | undefined, wanted: readonly Side[]): Partial<Record<Side, string | null>> {
  if (!cursor) return {};
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!state || typeof state !== 'object') throw new Error('not an object');
    const out: Partial<Record<Side, string | null>> = {};
    for (const side of wanted) {
      const v = (state as Record<string, unknown>)[side];
      if (v === null) out[side] = null;
      else if (typeof v === 'string') out[side] = v;
      else throw new Error('bad side');
    }
    return out;
  } catch {
    throw new AppError('invalid_cursor');
  }
}
