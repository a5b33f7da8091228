import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app';
import { importRecords, simulate } from '../modules/marketplace';
import { createMailer } from '../platform/mail';
import { fireDueTimers, scheduleTimer } from '../platform/timers';
import { DEMO_API_KEY, DEMO_PASSWORD, listDemoLogins, loadDemo } from './demo';
import { timerHandlers } from './timer-handlers';

const t = await testApp();
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

describe('demo marketplace', () => {
  it('loads once; a second start leaves it alone', async () => {
    expect(await loadDemo(t.db, { orders: 120 })).toEqual({ loaded: true });
    const orders = await sql<{ n: bigint }>`select count(*) as n from "order"`.execute(t.db);
    expect(await loadDemo(t.db, { orders: 120 })).toEqual({ loaded: false });
    expect((await sql<{ n: bigint }>`select count(*) as n from "order"`.execute(t.db)).rows).toEqual(
      orders.rows,
    );
    expect(orders.rows[0]!.n).toBe(120n);
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
});
