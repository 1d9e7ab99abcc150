/**
 * The exchange's use-cases end to end on the real local stack (dynalite, the messenger, the
 * outbox): posting, holds, matching, relays, SHARE, reports, moderation, operator posting with
 * the farmer's YES, the sweep and DELETE ME. What each number was sent is read from the outbox.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExchangeService, SmsSender } from '#core/exchange/service.ts';
import { globalAdmin } from '#core/staff/roles.ts';
import { newSubscriber } from '#core/subscribers/subscriber.ts';
import { priceSubmission } from '../support/prices.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { ADMIN } from '../support/staff.ts';

let stack: TestStack;
let exchange: ExchangeService;
const admin = { actor: { phone: ADMIN, grants: [globalAdmin], configAdmin: true } };
let seq = 0;

const SELLER = '+8613811110001';
/** A vouched seller of its own for each test below the first block (the posting limits are per number). */
let sellerSeq = 0;
async function freshSeller() {
  const phone = `+86138111150${String(++sellerSeq).padStart(2, '0')}`;
  await exchange.vouch(admin, phone);
  await english(phone);
  return phone;
}
const BUYER = '+8613811110002';
const STRANGER = '+8613811110003';
const FARMER = '+8613811110004';

const sender = (phone: string, over: Partial<SmsSender> = {}): SmsSender => ({
  phone,
  messageId: `test:${++seq}`,
  homeRegionId: 'cty_lhasa_chengguan',
  language: 'en',
  ...over,
});

const barley = (side: 'sell' | 'buy', quantity: number, priceFen: number | null) => ({
  side,
  commodityId: 'barley_qingke',
  quantity,
  unitId: 'jin',
  priceFen,
});

/** The keys of the SMS a number was sent, oldest first. */
async function sent(phone: string) {
  const messages = await stack.deps.outbound.listTo(phone, 50);
  return messages.reverse();
}

const codeOf = (answer: { lines: Array<{ params?: Record<string, string | number> }> }) =>
  String(answer.lines[0]?.params?.code);

/** Registers a number as an English reader, so that what it is sent can be read in the tests. */
const english = (phone: string) =>
  stack.deps.subscribers.createIfAbsent({
    ...newSubscriber(phone, 'en', new Date()),
    homeRegionId: 'cty_lhasa_chengguan',
  });

beforeAll(async () => {
  stack = await startTestStack();
  exchange = stack.deps.exchange;
  for (const phone of [SELLER, BUYER, STRANGER, FARMER]) await english(phone);
  // A reviewed price nearby, for the price beside an offer and the far-from-market hold.
  const today = new Date().toISOString().slice(0, 10);
  await stack.deps.prices.enterApproved(priceSubmission('barley_qingke', today, 450), ADMIN);
});
afterAll(() => stack?.close());

describe('posting', () => {
  test('the first offer of a number nobody vouched for waits for a moderator; the reply says so', async () => {
    const answer = await exchange.post(sender(SELLER), barley('sell', 200, 420), 'sell barley 200 jin 4.2');
    expect(answer.lines.map((l) => l.key)).toEqual(['exchange.offer.sell', 'exchange.held', 'exchange.context']);
    expect(answer.maxSegments).toBe(1);
    const code = codeOf(answer);
    expect(code).toMatch(/^L\d{4,6}$/);
    expect(await exchange.publicGet(code)).toBeUndefined();
    const queue = await exchange.moderationQueue(admin, {});
    const item = queue.items.find((i) => i.listing.code === code);
    expect(item?.reasons).toEqual(['first_offer']);
    expect(item?.priceContext?.priceFen).toBe(450);
    // Staff saw the owners' numbers: the look is audit-logged, with the offers shown.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const logged = (await stack.deps.audit.listDay(today, { limit: 50 })).items;
    expect(
      logged.some(
        (e) => e.action === 'exchange.queue_view' && (e.detail?.offers as string[] | undefined)?.includes(code),
      ),
    ).toBe(true);
  });

  test('the same message again is the same offer, never a second', async () => {
    const once = sender(BUYER);
    const a = await exchange.post(once, barley('buy', 500, 450), 'buy barley');
    const b = await exchange.post(once, barley('buy', 500, 450), 'buy barley');
    expect(codeOf(b)).toBe(codeOf(a));
    // One offer: LIST answers with its line (code first) and that it waits for a check.
    const list = await exchange.list(sender(BUYER));
    expect(list.lines.map((l) => l.key)).toEqual(['exchange.offer.buy', 'exchange.list.waiting']);
    expect(list.lines[0]?.params?.code).toBe(codeOf(a));
  });

  test('a vouched number posts straight to open, with the mark, and both sides of a match are told once', async () => {
    await exchange.vouch(admin, SELLER);
    const answer = await exchange.post(sender(SELLER), barley('sell', 300, 440), 'sell barley');
    expect(answer.lines.map((l) => l.key)).toEqual(['exchange.offer.sell', 'exchange.posted', 'exchange.context']);
    // (an English reader's mark is *: ✓ would make the SMS UCS-2 and cut it short)
    expect(answer.lines[0]?.params?.mark).toBe('*');
    const sellCode = codeOf(answer);
    const open = await exchange.publicGet(sellCode);
    expect(open).toMatchObject({ code: sellCode, status: 'open', vouched: true, price: '4.40', unit: 'jin' });
    expect(JSON.stringify(open)).not.toContain('+86');

    // The buyer's offer is still held (first offer): approving it opens it and matches it.
    const buyCode = String((await exchange.list(sender(BUYER))).lines[0]?.params?.code);
    await exchange.approve(admin, buyCode);
    const toSeller = (await sent(SELLER)).filter((m) => m.key === 'exchange.match');
    const toBuyer = (await sent(BUYER)).filter((m) => m.key === 'exchange.match');
    expect(toSeller.length).toBe(1);
    expect(toBuyer.length).toBe(1);
    expect(toSeller[0]?.text).toContain(buyCode);
    expect(toBuyer[0]?.text).toContain(sellCode);
    expect(toSeller[0]?.text).not.toMatch(/\+?86138/);
    // The first notice to a number carries the safety line.
    expect(toSeller[0]?.text.toLowerCase()).toContain('report');
  });

  test('LIST of several offers names every code first, then their lines as room allows', async () => {
    const phone = await freshSeller();
    const codes = [];
    for (const q of [11, 12, 13]) codes.push(codeOf(await exchange.post(sender(phone), barley('sell', q, 430), 's')));
    const list = await exchange.list(sender(phone));
    expect(list.lines[0]).toMatchObject({ key: 'exchange.list.head', params: { count: 3 } });
    expect(String(list.lines[0]?.params?.codes).split(' ').sort()).toEqual([...codes].sort());
    expect(list.lines.slice(1).every((l) => l.key === 'exchange.offer.sell')).toBe(true);
  });

  test('over 5× the market price waits for a moderator, and says why', async () => {
    const answer = await exchange.post(sender(SELLER), barley('sell', 100, 2500), 'sell barley 100 jin 25');
    expect(answer.lines[1]?.key).toBe('exchange.held');
    const item = await exchange.moderationItem(admin, codeOf(answer));
    expect(item.reasons).toEqual(['price_high']);
  });

  test('a flagged word holds it too', async () => {
    const answer = await exchange.post(sender(SELLER), barley('sell', 100, 430), 'sell barley, pay first please');
    expect((await exchange.moderationItem(admin, codeOf(answer))).reasons).toEqual(['flagged_word']);
  });

  test('no home and no place: a clear refusal, nothing stored', async () => {
    const answer = await exchange.post(
      sender('+8613811110009', { homeRegionId: undefined }),
      barley('sell', 1, 100),
      'x',
    );
    expect(answer.lines).toEqual([{ key: 'exchange.noPlace' }]);
    expect((await exchange.list(sender('+8613811110009'))).lines).toEqual([{ key: 'exchange.list.none' }]);
  });
});

describe('ending, renewing, finding', () => {
  test('SOLD of another number’s offer, or of none, is the same "no such offer of yours"', async () => {
    const seller = await freshSeller();
    const mine = codeOf(await exchange.post(sender(seller), barley('sell', 50, 430), 's'));
    const stranger = await exchange.end(sender(STRANGER), mine, 'sold');
    const unknown = await exchange.end(sender(STRANGER), 'L999999', 'sold');
    expect(stranger.lines).toEqual([{ key: 'exchange.notYours', params: { code: mine } }]);
    expect(unknown.lines).toEqual([{ key: 'exchange.notYours', params: { code: 'L999999' } }]);
    expect((await exchange.publicGet(mine))?.status).toBe('open');
    expect((await exchange.end(sender(seller), mine, 'sold')).lines[0]?.key).toBe('exchange.sold');
    expect((await exchange.publicGet(mine))?.status).toBe('sold');
    expect((await exchange.renew(sender(seller), mine)).lines[0]?.key).toBe('exchange.notOpen');
  });

  test('FIND gives up to 3 open offers of the other side, nearest first, never the sender’s own', async () => {
    const seller = await freshSeller();
    await exchange.post(sender(seller), { ...barley('sell', 20, 3500), commodityId: 'butter' }, 's');
    const found = await exchange.find(sender(STRANGER), { side: 'sell', commodityId: 'butter' });
    expect(found.lines[0]?.key).toBe('exchange.find.head');
    const rows = found.lines.filter((l) => l.key.startsWith('exchange.offer.'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(3);
    const own = await exchange.find(sender(seller), { side: 'sell', commodityId: 'butter' });
    expect(own.lines.map((l) => l.key)).toEqual(['exchange.find.none']);
  });

  test('RENEW moves the end on', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 80, 430), 's'));
    const before = await exchange.publicGet(code);
    stack.deps.now = () => new Date(Date.now() + 5 * 86_400_000);
    try {
      const renewed = await exchange.renew(sender(seller), code);
      expect(renewed.lines[0]?.key).toBe('exchange.renewed');
      expect((await exchange.publicGet(code))!.expiresAt > before!.expiresAt).toBe(true);
    } finally {
      stack.deps.now = () => new Date();
    }
  });
});

describe('private contact', () => {
  test('MSG is relayed signed with a code or alias, SHARE both ways exchanges the numbers', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 60, 430), 's'));
    const relayed = await exchange.message(sender(STRANGER), code, 'still available? I can pay 4.3');
    expect(relayed.lines).toEqual([{ key: 'exchange.relayed', params: { to: code } }]);
    const relay = (await sent(seller)).filter((m) => m.key === 'exchange.relay').at(-1)!;
    expect(relay.text).toContain('still available?');
    expect(relay.text).not.toContain('13811110003');
    const alias = String(relay.params.from);
    expect(alias).toMatch(/^A\d{4,6}$/);

    // The owner answers the alias; the stranger gets it signed with the offer's code.
    expect((await exchange.message(sender(seller), alias, 'yes, come tomorrow')).lines[0]?.key).toBe(
      'exchange.relayed',
    );
    const back = (await sent(STRANGER)).filter((m) => m.key === 'exchange.relay').at(-1)!;
    expect(back.params.from).toBe(code);
    expect(back.text).not.toContain('13811110001');

    // SHARE from one side: the other is asked, no number leaves.
    expect((await exchange.share(sender(STRANGER), code)).lines[0]?.key).toBe('exchange.share.waiting');
    expect((await sent(seller)).some((m) => m.key === 'exchange.share.asked')).toBe(true);
    expect((await sent(seller)).some((m) => m.text.includes('13811110003'))).toBe(false);
    // …and from the other: each has the other's number.
    const done = await exchange.share(sender(seller), alias);
    expect(done.lines[0]).toMatchObject({ key: 'exchange.share.done', params: { phone: STRANGER } });
    const toStranger = (await sent(STRANGER)).find((m) => m.key === 'exchange.share.done');
    expect(toStranger?.params.phone).toBe(seller);
  });

  test('a flagged word in a relay is held; MSG to one’s own offer or an unknown code changes nothing', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 70, 430), 's'));
    const before = (await sent(seller)).length;
    expect((await exchange.message(sender(BUYER), code, 'send a deposit first')).lines[0]?.key).toBe(
      'exchange.relayFlagged',
    );
    expect((await exchange.message(sender(seller), code, 'hi')).lines[0]?.key).toBe('exchange.ownOffer');
    expect((await exchange.message(sender(BUYER), 'L999998', 'hi')).lines[0]?.key).toBe('exchange.notYours');
    expect((await sent(seller)).length).toBe(before);
  });

  test('an answer to an alias reaches that number only, about the offer it last wrote about', async () => {
    const seller = await freshSeller();
    const first = codeOf(await exchange.post(sender(seller), barley('sell', 61, 430), 's'));
    const second = codeOf(await exchange.post(sender(seller), barley('sell', 62, 430), 's'));
    const [a, b] = ['+8613811114001', '+8613811114002'];
    await english(a);
    await english(b);
    await exchange.message(sender(a), first, 'from a about the first');
    await exchange.message(sender(b), first, 'from b');
    await exchange.message(sender(a), second, 'from a about the second');
    const relays = (await sent(seller)).filter((m) => m.key === 'exchange.relay');
    const aliasOfA = String(relays.find((m) => m.text.includes('from a about the first'))?.params.from);
    expect(relays.find((m) => m.text.includes('from b'))?.params.from).not.toBe(aliasOfA);
    await exchange.message(sender(seller), aliasOfA, 'answer for a');
    const toA = (await sent(a)).filter((m) => m.key === 'exchange.relay');
    expect(toA.at(-1)?.text).toContain('answer for a');
    expect(toA.at(-1)?.params.from).toBe(second);
    expect((await sent(b)).some((m) => m.text.includes('answer for a'))).toBe(false);
  });

  test('relays per offer are limited', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 90, 430), 's'));
    const keys: string[] = [];
    for (let i = 0; i < 6; i++) keys.push((await exchange.message(sender(BUYER), code, `hello ${i}`)).lines[0]!.key);
    expect(keys.slice(0, 5).every((k) => k === 'exchange.relayed')).toBe(true);
    expect(keys[5]).toBe('exchange.relayLimitOffer');
  });
});

describe('reports and moderation', () => {
  test('three reports from different numbers hide an offer until reviewed; one number counts once', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 40, 430), 's'));
    await exchange.report(sender('+8613811112001'), code, 'asked me to pay first');
    await exchange.report(sender('+8613811112001'), code, 'again');
    await exchange.report(sender('+8613811112002'), code, 'fake');
    expect((await exchange.publicGet(code))?.status).toBe('open');
    // Reported but still public: at the head of its moderators' queue already.
    const queued = (await exchange.moderationQueue(admin, { regionId: 'pref_lhasa' })).items;
    expect(queued.find((i) => i.listing.code === code)?.reasons).toContain('reported');
    await exchange.report(sender('+8613811112003'), code, 'scam');
    expect(await exchange.publicGet(code)).toBeUndefined();
    const item = await exchange.moderationItem(admin, code);
    expect(item.reasons).toContain('reported');
    expect(item.reports.length).toBe(3);
    await exchange.reject(admin, code, 'fraud reports');
    expect((await sent(seller)).some((m) => m.key === 'exchange.rejected' && m.text.includes('fraud'))).toBe(true);
  });

  test('approving a reported offer keeps it public and clears its reports', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 41, 430), 's'));
    await exchange.report(sender('+8613811112011'), code, 'suspicious');
    await exchange.approve(admin, code);
    const queued = (await exchange.moderationQueue(admin, {})).items;
    expect(queued.some((i) => i.listing.code === code)).toBe(false);
    expect((await exchange.publicGet(code))?.status).toBe('open');
  });

  test('an operator of another region may not moderate', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 45, 430), 's'));
    const elsewhere = {
      actor: {
        phone: '+8613811113001',
        grants: [{ role: 'operator' as const, regions: ['pref_nagqu'] }],
        configAdmin: false,
      },
    };
    await expect(exchange.hide(elsewhere, code)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await exchange.publicGet(code))?.status).toBe('open');
  });

  test('a blocked number is refused and told; its live offers come down', async () => {
    const code = codeOf(await exchange.post(sender(BUYER), barley('buy', 100, 400), 'b'));
    await exchange.block(admin, BUYER, 'advance-fee scam');
    expect((await exchange.post(sender(BUYER), barley('buy', 10, 400), 'b')).lines).toEqual([
      { key: 'exchange.blocked' },
    ]);
    expect((await sent(BUYER)).some((m) => m.key === 'exchange.blockedNotice')).toBe(true);
    expect(await exchange.publicGet(code)).toBeUndefined();
    await exchange.unblock(admin, BUYER);
  });
});

describe('posting for a farmer', () => {
  test('nothing is public until the farmer says YES; the SMS asks within 24 hours', async () => {
    const listing = await exchange.postForFarmer(
      admin,
      { phone: FARMER, ...barley('sell', 150, 430), regionId: 'cty_lhasa_chengguan' },
      'req-1',
    );
    expect(listing.status).toBe('confirming');
    expect(await exchange.publicGet(listing.code)).toBeUndefined();
    const ask = (await sent(FARMER)).find((m) => m.key === 'exchange.offer.sell');
    expect(ask?.text).toContain(listing.code);
    // The same form again is the same offer.
    expect((await exchange.postForFarmer(admin, { phone: FARMER, ...barley('sell', 150, 430) }, 'req-1')).code).toBe(
      listing.code,
    );
    const yes = await exchange.confirm(sender(FARMER), 'yes');
    expect(yes.lines[0]).toEqual({ key: 'exchange.confirm.yes', params: { code: listing.code } });
    expect((await exchange.publicGet(listing.code))?.status).toBe('open');
    expect((await exchange.confirm(sender(FARMER), 'yes')).lines[0]?.key).toBe('exchange.confirm.none');
  });

  test('a form with bad fields is refused field by field, and nothing is stored or sent', async () => {
    const before = (await sent(FARMER)).length;
    const err = await exchange
      .postForFarmer(
        admin,
        { phone: 'not a phone', side: 'sell', commodityId: 'moon_rock', quantity: -1, unitId: 'bushel', priceFen: 0 },
        'req-bad',
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'validation_failed' });
    const paths = (err as { details: Array<{ path: string }> }).details.map((d) => d.path);
    expect(paths).toEqual(['phone', 'commodity', 'unit', 'quantity', 'price']);
    expect((await sent(FARMER)).length).toBe(before);
  });

  test('an operator may post only where they hold the role', async () => {
    const elsewhere = {
      actor: {
        phone: '+8613811113002',
        grants: [{ role: 'operator' as const, regions: ['pref_nagqu'] }],
        configAdmin: false,
      },
    };
    await expect(
      exchange.postForFarmer(
        elsewhere,
        { phone: FARMER, ...barley('sell', 5, 430), regionId: 'cty_lhasa_chengguan' },
        'req-x',
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  test('a YES after 24 hours is refused, and NO discards', async () => {
    const late = await exchange.postForFarmer(admin, { phone: FARMER, ...barley('sell', 20, 430) }, 'req-2');
    stack.deps.now = () => new Date(Date.now() + 25 * 3600_000);
    try {
      expect((await exchange.confirm(sender(FARMER), 'yes', late.code)).lines[0]?.key).toBe('exchange.confirm.expired');
    } finally {
      stack.deps.now = () => new Date();
    }
    const no = await exchange.postForFarmer(admin, { phone: FARMER, ...barley('sell', 30, 430) }, 'req-3');
    expect((await exchange.confirm(sender(FARMER), 'no', no.code)).lines[0]?.key).toBe('exchange.confirm.no');
    expect(await exchange.publicGet(no.code)).toBeUndefined();
  });
});

describe('the sweep and DELETE ME', () => {
  test('a reminder the day before (in the daytime), then expiry; a rerun does nothing twice', async () => {
    const seller = await freshSeller();
    const code = codeOf(await exchange.post(sender(seller), barley('sell', 35, 430), 's'));
    const listing = (await exchange.publicGet(code))!;
    // 10:00 Asia/Shanghai on the day before it ends.
    // The day is Asia/Shanghai's (UTC+8): a listing ending after 16:00 UTC ends on the next Shanghai day.
    const end = new Date(listing.expiresAt);
    const endInShanghai = new Date(end.getTime() + 8 * 3600_000);
    const dayBefore = new Date(
      Date.UTC(endInShanghai.getUTCFullYear(), endInShanghai.getUTCMonth(), endInShanghai.getUTCDate() - 1, 2, 0),
    );
    const first = await exchange.sweep(dayBefore);
    const again = await exchange.sweep(dayBefore);
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    expect(again.reminded).toBe(0);
    expect((await sent(seller)).filter((m) => m.key === 'exchange.reminder' && m.text.includes(code)).length).toBe(1);
    const after = new Date(end.getTime() + 3600_000);
    stack.deps.now = () => after;
    try {
      const swept = await exchange.sweep(after);
      expect(swept.expired).toBeGreaterThanOrEqual(1);
      expect((await exchange.publicGet(code))?.status).toBe('expired');
    } finally {
      stack.deps.now = () => new Date();
    }
  });

  test('erase leaves none of the number’s offers', async () => {
    const phone = '+8613811119999';
    await exchange.vouch(admin, phone);
    const code = codeOf(await exchange.post(sender(phone), barley('sell', 10, 430), 's'));
    await exchange.erase(phone);
    expect(await exchange.publicGet(code)).toBeUndefined();
    expect((await exchange.list(sender(phone))).lines).toEqual([{ key: 'exchange.list.none' }]);
  });
});
