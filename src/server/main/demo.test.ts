import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { jwtVerify } from 'jose';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app';
import { importRecords, simulate } from '../modules/marketplace';
import { sellerStatusAt } from '../modules/programs';
import { returnPolicyOf } from '../modules/returns';
import { routeContact } from '../modules/routing';
import { sameMachineOrigins } from '../platform/config';
import { createMailer } from '../platform/mail';
import { fireDueTimers, scheduleTimer } from '../platform/timers';
import { DEMO_API_KEY, DEMO_PASSWORD, listDemoLogins, loadDemo } from './demo';
import {
  DEMO_MANAGED_SELLER,
  type DemoFlow,
  demoFlowMarkets,
  demoFlowOrderId,
  demoFlows,
  demoProductAnswers,
} from './demo-flows';
import { loadDemoContactChannels } from './demo-shop';
import { loadDemoWork } from './demo-work';
import { timerHandlers } from './timer-handlers';

// Every demo login signs in here, more than the default per-minute login limit.
const t = await testApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '1000', LOAD_DEMO: 'true' });
const handlers = timerHandlers(
  t.config,
  createMailer({ outboxDir: mkdtempSync(join(tmpdir(), 'demo-outbox-')) }),
);
const DAY = 86_400_000;

/** Time passes as it does for a running server: the received-returns scan, then every timer due. */
async function daysPass(days: number) {
  await scheduleTimer(t.db, 'scan_received_returns', 'all', new Date());
  await fireDueTimers(t.db, handlers, new Date(), undefined, 5_000);
  await fireDueTimers(t.db, handlers, new Date(Date.now() + days * DAY), undefined, 5_000);
}
/** What the seller refund deadline has done: deadlines opened, refunds charged, ledger batches posted. */
const deadlineMoney = async () =>
  (
    await sql<{ deadlines: number; concessions: number; batches: number }>`select
      (select count(*)::int from refund_deadline) as deadlines,
      (select count(*)::int from concession where explanation->>'rule' = 'seller_refund_deadline_passed') as concessions,
      (select count(*)::int from ledger_batch where description like '%seller_refund_deadline_passed%') as batches`.execute(
      t.db,
    )
  ).rows[0];

/** Row counts and the latest change of every table the demo writes: a second load must leave them equal. */
async function everythingDemoWrites(db = t.db) {
  const tables = [
    'marketplace',
    'seller',
    'buyer',
    'product',
    'product_page',
    'order',
    'shipment',
    'shipment_event',
    'return_event',
    'order_line',
    'return',
    'app_user',
    'agent_profile',
    'service_enrolment',
    'api_key',
    'platform_state',
    'timer',
  ];
  const out: Record<string, { n: number; last: string | null }> = {};
  for (const table of tables) {
    const hasUpdatedAt = (
      await sql`select 1 from information_schema.columns where table_name = ${table} and column_name = 'updated_at'`.execute(
        db,
      )
    ).rows.length;
    const r = await sql<{ n: number; last: string | null }>`select count(*)::int as n,
      ${hasUpdatedAt ? sql`max(updated_at)::text` : sql`null`} as last from ${sql.table(table)}`.execute(db);
    out[table] = r.rows[0]!;
  }
  return out;
}

describe('demo marketplace', () => {
  it('loads once; a second start leaves it alone', async () => {
    expect(await loadDemo(t.db, { orders: 120 })).toEqual({ loaded: true, flows: true });
    const before = await everythingDemoWrites();
    expect(await loadDemo(t.db, { orders: 120 })).toEqual({ loaded: false, flows: false });
    expect(await everythingDemoWrites()).toEqual(before);
    // The history's orders and, for five buyers, one order per chat flow.
    expect(before.order).toEqual({ n: 120 + 5 * demoFlows.length, last: expect.any(String) });
  });

  it('loads the flows alone when only their marker is missing (a database of an earlier version), adding nothing twice', async () => {
    const copy = await testApp();
    expect(await loadDemo(copy.db, { orders: 20 })).toEqual({ loaded: true, flows: true });
    await sql`delete from platform_state where key = 'demo_chat_flows_loaded'`.execute(copy.db);
    const before = await everythingDemoWrites(copy.db);
    expect(await loadDemo(copy.db, { orders: 20 })).toEqual({ loaded: false, flows: true });
    // The same ids again: the records are unchanged, no login, enrolment or agent is added twice.
    const after = await everythingDemoWrites(copy.db);
    for (const table of [
      'order',
      'shipment',
      'return',
      'product',
      'app_user',
      'agent_profile',
      'service_enrolment',
    ])
      expect(after[table]!.n, table).toBe(before[table]!.n);
  });

  it('moves no money from its own history: its received returns are refunded, and no refund deadline passes', async () => {
    const returns = (
      await sql<{ received: number; unrefunded: number }>`select count(received_at)::int as received,
        count(received_at) filter (where refunded_at is null)::int as unrefunded from "return"`.execute(t.db)
    ).rows[0]!;
    expect(returns.received).toBeGreaterThan(0);
    expect(returns.unrefunded).toBe(0);
    await daysPass(30);
    expect(await deadlineMoney()).toEqual({ deadlines: 0, concessions: 0, batches: 0 });
  });

  it('has a login for every role, each reading only its own scope', async () => {
    const logins = await listDemoLogins(t.db);
    expect(new Set(logins.map((l) => l.role))).toEqual(
      new Set(['admin', 'supervisor', 'agent', 'claims_reviewer', 'seller', 'buyer']),
    );
    const total = (await sql<{ n: bigint }>`select count(*) as n from "order"`.execute(t.db)).rows[0]!.n;
    for (const login of logins) {
      const client = await t.login(login.email, DEMO_PASSWORD);
      const orders = (await client.get('/api/v1/orders?limit=200')).json() as {
        sellerId: string;
        buyerId: string;
      }[];
      const me = (await client.get('/api/v1/auth/session')).json().user;
      if (login.role === 'seller') expect(orders.every((o) => o.sellerId === me.sellerId)).toBe(true);
      else if (login.role === 'buyer') {
        expect(orders.length).toBeGreaterThan(0);
        expect(orders.every((o) => o.buyerId === me.buyerId)).toBe(true);
      } else expect(BigInt(orders.length)).toBe(total);
    }
  });

  it('shows the widget on its stand-in shop, with a phone, its hours and the shop allowed to frame the chat', async () => {
    await loadDemoContactChannels(t.db, t.config.publicUrl);
    const buyer = await t.login('buyer@demo.onbehalf.test', DEMO_PASSWORD);
    const help = (await buyer.get('/api/v1/help/IT')).json();
    expect(help.channels.phone).toBe('+39 02 0000 0000');
    expect(help.channels.phoneHours).toEqual({ days: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00' });
    const widget = (await t.app.inject({ url: '/api/v1/help/US/widget' })).json();
    expect(widget.origins).toEqual(sameMachineOrigins(t.config.publicUrl));
    expect(sameMachineOrigins('http://127.0.0.1:3000/')).toEqual([
      'http://127.0.0.1:3000',
      'http://localhost:3000',
    ]);
    expect(sameMachineOrigins('https://cs.example.com')).toEqual(['https://cs.example.com']);

    // What the operator set is kept at the next start.
    await sql`update marketplace set support_phone = '+39 06 1234 5678', widget_origins = '{https://shop.example.it}'
      where id = 'IT'`.execute(t.db);
    await loadDemoContactChannels(t.db, t.config.publicUrl);
    expect((await buyer.get('/api/v1/help/IT')).json().channels.phone).toBe('+39 06 1234 5678');
    expect((await t.app.inject({ url: '/api/v1/help/IT/widget' })).json().origins).toEqual([
      'https://shop.example.it',
    ]);

    for (const market of demoFlowMarkets) {
      const shop = await t.app.inject({ url: `/demo/shop/${market.marketplace}` });
      expect(shop.statusCode).toBe(200);
      expect(shop.headers['content-type']).toContain('text/html');
      expect(shop.headers['content-security-policy']).toContain("script-src 'self'");
      expect(shop.body).toContain(`<html lang="${market.language}">`);
      expect(shop.body).toContain(`data-marketplace="${market.marketplace}"`);
      expect(shop.body).toContain(`data-product="${demoProductAnswers.answers}"`);
      expect(shop.body).toContain(`<script src="${t.config.publicUrl}/widget.js"`);
      // The token is the demo buyer's of that marketplace, one who has orders there.
      const token = /data-buyer-token="([^"]+)"/.exec(shop.body)![1]!;
      const { payload } = await jwtVerify(token, new TextEncoder().encode(t.config.buyerTokenSecret));
      const orders = await sql<{
        n: number;
      }>`select count(*)::int as n from "order" o join buyer b on b.id = o.buyer_id
        where b.external_id = ${payload.sub!} and o.marketplace_id = ${market.marketplace}`.execute(t.db);
      expect(orders.rows[0]!.n).toBeGreaterThan(0);
    }
    expect((await t.app.inject({ url: '/demo/shop/XX' })).statusCode).toBe(404);
  });

  it('enrols US sellers automatically and shows the IT seller on trial', async () => {
    const cn = await t.login('seller.cn@demo.onbehalf.test', DEMO_PASSWORD);
    const cnServices = (await cn.get('/api/v1/sellers/S000002/services')).json().marketplaces;
    expect(cnServices.find((m: { marketplace: string }) => m.marketplace === 'US').status).toBe('trial');
    expect(cnServices.find((m: { marketplace: string }) => m.marketplace === 'DE').status).toBe(
      'not_enrolled',
    );
    const it = await t.login('seller.it@demo.onbehalf.test', DEMO_PASSWORD);
    const itServices = (await it.get('/api/v1/sellers/S000003/services')).json().marketplaces;
    expect(itServices.find((m: { marketplace: string }) => m.marketplace === 'IT').label).toMatch(
      /^Trial until \d{4}-\d{2}-\d{2}$/,
    );
  });

  it('has agents ready to take cases in every marketplace', async () => {
    const covered = await sql<{ m: string }>`select distinct unnest(p.marketplaces) as m from agent_profile p
      join app_user u on u.id = p.user_id where u.role = 'agent' order by m`.execute(t.db);
    expect(covered.rows.map((r) => r.m)).toEqual(['DE', 'ES', 'FR', 'IT', 'US']);
  });

  it('has a working integration key', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/marketplaces',
      headers: { authorization: `Bearer ${DEMO_API_KEY}` },
    });
    expect(res.json().map((m: { id: string }) => m.id)).toEqual(['DE', 'ES', 'FR', 'IT', 'US']);
  });

  it('has, for a buyer in each language, an order in every chat flow in the state it shows', async () => {
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const DAY_MS = 86_400_000;
    for (const market of demoFlowMarkets) {
      const buyer = await t.login(market.login, DEMO_PASSWORD);
      const window = (await returnPolicyOf(t.db, market.marketplace, now)).windowDays;
      const orderOf = async (flow: DemoFlow) => {
        const res = await buyer.get(`/api/v1/orders/${demoFlowOrderId(market.marketplace, flow)}`);
        expect(res.statusCode, `${market.marketplace} ${flow}`).toBe(200);
        const order = res.json();
        const shipment = order.shipments[0];
        const status = await sellerStatusAt(t.db, order.sellerId, market.marketplace, now);
        const routing = routeContact(
          { channel: 'chat', topic: 'order_status', sender: 'buyer', at: now },
          { fulfilmentChannel: order.fulfilmentChannel },
          status,
        );
        return { order, shipment, codes: shipment.events.map((e: { code: string }) => e.code), routing };
      };

      const inTransit = await orderOf('in_transit');
      expect(inTransit.codes).toContain('in_transit');
      expect(inTransit.shipment.deliveredAt).toBeNull();
      expect(inTransit.order.promisedDeliveryDate > today).toBe(true);
      expect(inTransit.routing.reason).toBe('trial_seller_fulfilled');

      const late = await orderOf('late');
      expect(late.shipment.deliveredAt).toBeNull();
      expect(late.order.promisedDeliveryDate < today).toBe(true);
      expect(late.routing.reason).toBe('trial_seller_fulfilled');

      const delivered = await orderOf('delivered');
      const deliveredAt = Date.parse(delivered.shipment.deliveredAt);
      expect(now.getTime() - deliveredAt).toBeLessThan((window - 20) * DAY_MS); // well inside the window
      expect(delivered.shipment.deliveredAt.slice(0, 10) <= delivered.order.promisedDeliveryDate).toBe(true);
      expect(delivered.routing.reason).toBe('trial_seller_fulfilled');

      const premium = await orderOf('premium');
      expect(premium.order.fulfilmentChannel).toBe('premium_seller');
      expect(premium.routing).toMatchObject({ reason: 'premium_seller_fulfilled', queue: 'premium' });

      const marketplaceShipped = await orderOf('marketplace_shipped');
      expect(marketplaceShipped.routing.reason).toBe('marketplace_fulfilled_order');

      const refunded = await orderOf('return_refunded');
      expect(refunded.order.returns).toHaveLength(1);
      expect(refunded.order.returns[0]).toMatchObject({ authorisation: 'authorised' });
      expect(refunded.order.returns[0].receivedAt).not.toBeNull();
      expect(refunded.order.returns[0].refundedAt).not.toBeNull();

      const onItsWay = await orderOf('return_on_its_way');
      expect(onItsWay.order.returns[0]).toMatchObject({
        authorisation: 'authorised',
        receivedAt: null,
        refundedAt: null,
      });
      expect(onItsWay.order.returns[0].events.map((e: { code: string }) => e.code)).toContain('in_transit');

      const notManaged = await orderOf('seller_not_managed');
      expect(notManaged.routing.reason).toBe('seller_not_enrolled');
      expect(notManaged.order.sellerId).toBe(premium.order.sellerId);
      expect(notManaged.order.sellerId).not.toBe(delivered.order.sellerId);

      // The buyer reads every line in their own language.
      expect(delivered.order.lines[0].title).toBe(
        {
          it: 'Zaino da escursionismo 30 L',
          es: 'Mochila de senderismo 30 L',
          fr: 'Sac à dos de randonnée 30 L',
          de: 'Wanderrucksack 30 L',
          en: 'Hiking Backpack 30 L',
        }[market.language],
      );
    }
  });

  it('has product pages in every buyer language, one that answers size and material and one that does not', async () => {
    const anonymous = await t.login('buyer@demo.onbehalf.test', DEMO_PASSWORD);
    for (const market of demoFlowMarkets) {
      const page = async (ref: string) => {
        const res = await anonymous.get(
          `/api/v1/products/${ref}/page?marketplace=${market.marketplace}&language=${market.language}`,
        );
        expect(res.statusCode).toBe(200);
        const p = res.json();
        expect(p.language).toBe(market.language);
        return [p.title, ...p.bulletPoints, p.description, ...Object.values(p.attributes)].join(' ');
      };
      const answers = await page(demoProductAnswers.answers);
      expect(answers).toContain('50 × 30 × 20 cm');
      expect(answers).toMatch(/nylon|nailon|Nylon/);
      const silent = await page(demoProductAnswers.doesNotAnswer);
      expect(silent).not.toMatch(/\d+\s*(cm|mm|g)\b/); // no size or weight
      expect(silent).not.toMatch(/compat|kompatib|material|matière|materiale|metal|plasti/i);
    }
  });

  it('has agents who take chats in it, es, fr, de and en, named as the buyer will read them', async () => {
    for (const market of demoFlowMarkets) {
      const agents = await sql<{ display_name: string }>`select u.display_name from agent_profile p
        join app_user u on u.id = p.user_id where u.role = 'agent' and p.available
          and ${market.marketplace} = any(p.marketplaces) and ${market.language} = any(p.languages)`.execute(
        t.db,
      );
      expect(agents.rows.length, `${market.marketplace} ${market.language}`).toBeGreaterThan(0);
      // "Giulia has joined": a person's first name, never "Agent".
      for (const a of agents.rows) expect(a.display_name).toMatch(/^[A-ZÀ-Ý][a-zà-ÿ]+ [A-ZÀ-Ý][a-zà-ÿ]+$/);
    }
    const logins = await listDemoLogins(t.db);
    expect(logins.find((l) => l.email === 'agent.fr@demo.onbehalf.test')?.note).toBe(
      'Camille Martin (fr, en; chats in FR, US)',
    );
    expect(logins.filter((l) => l.role === 'buyer').map((l) => l.email)).toEqual(
      demoFlowMarkets.map((m) => m.login).sort(),
    );
    // Buyers and sellers sign in under their own names; the banner adds their id and what they show.
    const people = await sql<{ email: string; display_name: string; name: string }>`
      select u.email, u.display_name, coalesce(b.name, s.name) as name from app_user u
        left join buyer b on b.id = u.buyer_id left join seller s on s.id = u.seller_id
      where u.role in ('buyer', 'seller') and u.email like '%@demo.onbehalf.test'`.execute(t.db);
    for (const p of people.rows) expect(p.display_name, p.email).toBe(p.name);
    expect(logins.find((l) => l.email === 'seller.aurora@demo.onbehalf.test')?.note).toMatch(
      /^Casa Aurora \(seller [A-Z0-9-]+; managed service in DE, ES, FR, IT, US\)$/,
    );
    expect(logins.find((l) => l.email === 'buyer@demo.onbehalf.test')?.note).toMatch(
      /^[A-ZÀ-Ý][a-zà-ÿ]+ [A-ZÀ-Ý][a-zà-ÿ]+ \(buyer B-IT-\d{7}, it\)$/,
    );
  });

  it('keeps the flows’ seller in the managed service everywhere and the other seller in none', async () => {
    const status = await sql<{
      external_id: string;
      marketplace_id: string;
    }>`select s.external_id, e.marketplace_id
      from service_enrolment e join seller s on s.id = e.seller_id
      where s.external_id like 'S-%' order by 1, 2`.execute(t.db);
    expect(status.rows).toEqual(
      ['DE', 'ES', 'FR', 'IT', 'US'].map((m) => ({ external_id: DEMO_MANAGED_SELLER, marketplace_id: m })),
    );
  });

  it('is never overwritten by a simulation imported next to it (README), whatever its seed', async () => {
    const demoRows = () =>
      sql<{
        t: string;
        external_id: string;
        updated_at: Date;
      }>`select 'order' as t, external_id, updated_at from "order" union all select 'seller', external_id, updated_at from seller
        union all select 'buyer', external_id, updated_at from buyer union all select 'product', external_id, updated_at from product
        union all select 'shipment', external_id, updated_at from shipment union all select 'return', external_id, updated_at from "return"
        order by 1, 2`
        .execute(t.db)
        .then((r) => r.rows);
    const before = await demoRows();
    for (const seed of [7, 42]) {
      const ndjson = [...simulate({ orders: 1000, seed })].map((r) => JSON.stringify(r)).join('\n');
      const summary = await importRecords(t.db, Readable.from([ndjson]));
      expect(summary).toMatchObject({ rejected: 0, updated: 0 });
      expect(summary.created).toBeGreaterThan(1000);
    }
    const after = new Map((await demoRows()).map((r) => [`${r.t}:${r.external_id}`, r]));
    expect(
      before.filter(
        (r) => after.get(`${r.t}:${r.external_id}`)?.updated_at.getTime() !== r.updated_at.getTime(),
      ),
    ).toEqual([]);
  });

  it('moves no money after the import either', async () => {
    await daysPass(60);
    expect(await deadlineMoney()).toEqual({ deadlines: 0, concessions: 0, batches: 0 });
  });

  it('gives its people work on a first start, once: queues, a case-log question, an approval, an escalation, a claim', async () => {
    await loadDemo(t.db, { orders: 120 }); // loaded already when the whole file runs
    expect(await loadDemoWork(t.app, t.db)).toBe(true);
    const open = await sql<{
      marketplace_id: string;
      n: number;
    }>`select marketplace_id, count(*)::int as n from cs_case
      where status not in ('resolved', 'closed') group by 1 order by 1`.execute(t.db);
    expect(open.rows.map((r) => r.marketplace_id)).toEqual(['DE', 'ES', 'FR', 'IT', 'US']);

    const agent = await t.login('agent.it@demo.onbehalf.test', DEMO_PASSWORD);
    expect(((await agent.get('/api/v1/agent/cases')).json() as unknown[]).length).toBeGreaterThan(0);
    const seller = await t.login('seller.aurora@demo.onbehalf.test', DEMO_PASSWORD);
    const caseLog = (await seller.get('/api/v1/seller/case-log')).json();
    expect(JSON.stringify(caseLog)).toContain('cerniera');
    const supervisor = await t.login('supervisor@demo.onbehalf.test', DEMO_PASSWORD);
    const waiting = (await supervisor.get('/api/v1/supervisor/waiting')).json();
    expect(JSON.stringify(waiting)).toContain('late_beyond_promise');
    expect(JSON.stringify(waiting)).toContain('escalat');
    const claims = await t.login('claims@demo.onbehalf.test', DEMO_PASSWORD);
    expect(((await claims.get('/api/v1/claims/queue')).json() as unknown[]).length).toBe(1);
    // The €15 within the agent's limit is issued; the whole late order waits for a supervisor.
    const concessions = await sql<{
      status: string;
      amount_items: string;
    }>`select c.status, c.amount_items::text
      from concession c join cs_case k on k.id = c.case_id where k.marketplace_id = 'IT' order by c.status`.execute(
      t.db,
    );
    expect(concessions.rows.map((r) => r.status)).toEqual(['issued', 'pending_approval']);
    expect(concessions.rows[0]!.amount_items).toBe('1500');
    const cases = await sql<{ n: number }>`select count(*)::int as n from cs_case`.execute(t.db);
    expect(await loadDemoWork(t.app, t.db)).toBe(false);
    expect((await sql<{ n: number }>`select count(*)::int as n from cs_case`.execute(t.db)).rows).toEqual(
      cases.rows,
    );
  });
});
