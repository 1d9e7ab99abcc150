/** Who may use the price pages, where; refusals are 403 pages and audit-logged; forms need their CSRF token. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { recentAudit } from '#core/staff/audit.ts';
import { formsTo, staffBrowser, upload } from '#test/support/price-web.ts';
import { day } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { CookieJar, csrfOf, form, from } from '#test/support/staff.ts';

let stack: TestStack;
let collector: Awaited<ReturnType<typeof staffBrowser>>;
let reviewer: Awaited<ReturnType<typeof staffBrowser>>;
let shigatseReviewer: Awaited<ReturnType<typeof staffBrowser>>;
const SHIGATSE = '+8613900000903';
beforeAll(async () => {
  stack = await startTestStack();
  collector = await staffBrowser(stack, '+8613900000901', [{ role: 'collector', regions: ['pref_lhasa'] }]);
  reviewer = await staffBrowser(stack, '+8613900000902', [{ role: 'reviewer', regions: ['pref_lhasa'] }]);
  shigatseReviewer = await staffBrowser(stack, SHIGATSE, [{ role: 'reviewer', regions: ['pref_shigatse'] }]);
});
afterAll(() => stack.close());

const entry = (over: Record<string, string> = {}) => ({
  commodity: 'barley_qingke',
  commodityText: '',
  market: 'mkt_lhasa_barkhor',
  date: day(stack, -1),
  price: '4.5',
  unit: 'jin',
  grade: '',
  kind: 'retail',
  ...over,
});
const denials = async (phone: string) =>
  (await recentAudit(stack.deps.audit, stack.deps.now(), 200)).filter(
    (e) => e.actor === phone && e.action === 'access.denied' && e.outcome === 'denied',
  );

async function submitted(fields = entry()) {
  const page = await (await collector.get('/staff/prices/new')).text();
  const res = await collector.post('/staff/prices/new', page, fields);
  assert.equal(res.status, 303);
  return new URL(res.headers.get('location')!, 'http://x').searchParams.get('saved')!;
}

describe('price pages: sign-in, roles, regions, CSRF', () => {
  test('not signed in: every page sends you to sign in and back; a post stores nothing', async () => {
    const send = from(stack);
    for (const path of ['/staff/prices/new', '/staff/prices/review', '/staff/prices/upload']) {
      const res = await send(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/sign-in?next=${path}`);
    }
    // A visitor with a (pre-sign-in) CSRF token still cannot post.
    const jar = new CookieJar();
    const token = csrfOf(await (await jar.send(send, '/sign-in')).text());
    const res = await jar.send(send, '/staff/prices/new', form({ _csrf: token, ...entry({ price: '9.99' }) }));
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location')!, /^\/sign-in/);
    assert.equal(
      await stack.deps.prices.getSubmission({
        commodityId: 'barley_qingke',
        marketId: 'mkt_lhasa_barkhor',
        date: day(stack, -1),
        unit: 'jin',
      }),
      undefined,
    );
  });

  test('a collector cannot open the review queue: a 403 page, logged', async () => {
    const res = await collector.get('/staff/prices/review?lang=en');
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type')!, /text\/html/);
    assert.match(await res.text(), /<h1>Not allowed<\/h1>/);
    assert.ok((await denials('+8613900000901')).some((e) => e.detail?.permission === 'price.review'));
  });

  test('a reviewer of another region can neither see nor approve a Lhasa entry: told it is gone, as for one that does not exist; logged, still pending', async () => {
    const identity = await submitted();
    const page = await shigatseReviewer.get('/staff/prices/review?region=pref_lhasa');
    assert.equal(page.status, 403);
    const own = await (await shigatseReviewer.get('/staff/prices/review')).text();
    assert.equal(formsTo(own, '/staff/prices/review/approve').length, 0, 'nothing of Lhasa in their own queue');
    const before = (await denials(SHIGATSE)).length;
    // (A page with a form of theirs, for a valid CSRF token: the queue page has none when empty.)
    const tokenPage = await (await shigatseReviewer.get('/staff/prices/new')).text();
    const missing = identity.replace('barley_qingke', 'buckwheat');
    for (const action of ['approve', 'reject']) {
      const decide = (id: string) =>
        shigatseReviewer.post(`/staff/prices/review/${action}?lang=en`, tokenPage, {
          identity: id,
          version: '1',
          region: 'pref_shigatse',
          reason: 'no',
        });
      const [foreign, absent] = [await decide(identity), await decide(missing)];
      assert.equal(foreign.status, 303, action);
      assert.equal(foreign.headers.get('location'), '/staff/prices/review?region=pref_shigatse&error=gone');
      assert.equal(absent.status, foreign.status);
      assert.equal(
        absent.headers.get('location'),
        foreign.headers.get('location'),
        `${action}: the same answer as for an entry that does not exist`,
      );
    }
    const logged = await denials(SHIGATSE);
    assert.equal(logged.length, before + 2);
    assert.ok(
      logged.every(
        (e) => e.target?.startsWith('POST /staff/prices/review/') || e.target === 'GET /staff/prices/review',
      ),
    );
    const { parseIdentity } = await import('#core/prices/observation.ts');
    assert.equal((await stack.deps.prices.getSubmission(parseIdentity(identity)!))?.status, 'pending');
  });

  test('a collector entering (or uploading) a price at a market outside their regions: 403, logged, nothing stored', async () => {
    const page = await (await collector.get('/staff/prices/new')).text();
    const res = await collector.post('/staff/prices/new', page, entry({ market: 'mkt_shigatse_gyirong_port' }));
    assert.equal(res.status, 403);
    assert.ok(
      (await denials('+8613900000901')).some(
        (e) => e.target === 'POST /staff/prices/new' && e.regions?.includes('cty_shigatse_gyirong'),
      ),
    );
    const csv = `commodity,market,date,price,unit\nwheat,mkt_shigatse_gyirong_port,${day(stack, -1)},3.00,jin\n`;
    const upload1 = await collector.raw(
      '/staff/prices/upload/preview',
      upload(await (await collector.get('/staff/prices/upload')).text(), csv),
    );
    assert.equal(upload1.status, 403);
    for (const commodityId of ['barley_qingke', 'wheat']) {
      assert.equal(
        await stack.deps.prices.getSubmission({
          commodityId,
          marketId: 'mkt_shigatse_gyirong_port',
          date: day(stack, -1),
          unit: 'jin',
        }),
        undefined,
      );
    }
  });

  test('staff without a price role are refused every price page', async () => {
    const expert = await staffBrowser(stack, '+8613900000904', [{ role: 'expert', regions: ['pref_lhasa'] }]);
    for (const path of ['/staff/prices/new', '/staff/prices/review', '/staff/prices/upload'])
      assert.equal((await expert.get(path)).status, 403, path);
    assert.doesNotMatch(await (await expert.get('/staff')).text(), /\/staff\/prices\//, 'no links either');
  });

  test('forms without their CSRF token are refused and change nothing', async () => {
    const identity = await submitted(entry({ commodity: 'wheat', price: '3.30' }));
    const { parseIdentity } = await import('#core/prices/observation.ts');
    const refused = async (res: Response) => {
      assert.equal(res.status, 403);
      assert.match(await res.text(), /<h1>Form expired<\/h1>/);
    };
    const noToken = (path: string, fields: Record<string, string>) => reviewer.raw(`${path}?lang=en`, form(fields));
    await refused(await noToken('/staff/prices/review/approve', { identity, version: '1' }));
    await refused(await noToken('/staff/prices/review/reject', { identity, version: '1', reason: 'x' }));
    await refused(await noToken('/staff/prices/new', entry({ commodity: 'peas' })));
    await refused(await reviewer.raw('/staff/prices/upload/confirm?lang=en', form({ _csrf: 'forged', token: 'x' })));
    // Another site's page posting with the member's cookies (Origin check).
    const page = await (await reviewer.get('/staff/prices/review')).text();
    const cross = await reviewer.raw('/staff/prices/review/approve?lang=en', {
      ...form({ _csrf: csrfOf(page), identity, version: '1' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    });
    await refused(cross);
    assert.equal((await stack.deps.prices.getSubmission(parseIdentity(identity)!))?.status, 'pending');
    assert.equal(
      await stack.deps.prices.getSubmission({
        commodityId: 'peas',
        marketId: 'mkt_lhasa_barkhor',
        date: day(stack, -1),
        unit: 'jin',
      }),
      undefined,
    );
  });

  test('what collectors type is shown as text, never as markup', async () => {
    await submitted(entry({ commodity: 'potato', grade: '<script>alert(1)</script>', price: '2.00' }));
    const html = await (await reviewer.get('/staff/prices/review')).text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});
