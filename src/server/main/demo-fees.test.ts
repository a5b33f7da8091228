import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { testDatabase } from '../../../test/helpers/database';
import { marketplaces } from '../../../test/helpers/fixtures';
import { verifyPassword } from '../modules/identity/credentials';
import { applyRecords } from '../modules/marketplace';
import { DEMO_PASSWORD } from './demo';
import { loadFeesDemo } from './demo-fees';

const { db } = await testDatabase();

it('the fee demo charges last month to sellers in every band, explained, once', async () => {
  await db.transaction().execute((tx) => applyRecords(tx, marketplaces()));
  const now = new Date('2026-12-03T10:00:00Z');
  expect(await loadFeesDemo(db, now)).toEqual({ loaded: true });
  expect(await loadFeesDemo(db, now)).toEqual({ loaded: false });
  const charges = await sql<{ seller: string; amount: string; band: string; discount: number }>`
    select s.external_id as seller, f.amount, f.explanation->>'band' as band, f.percent_off as discount
    from fee_charge f join seller s on s.id = f.seller_id where f.month = '2026-11' order by 1`.execute(db);
  expect(charges.rows.map((r) => [r.seller, Number(r.amount), r.band, r.discount])).toEqual([
    ['FEE-DE-A', 60 * 9, 'band_1', 0],
    ['FEE-DE-B', 60 * 41, 'band_2', 0],
    ['FEE-DE-C', Math.round(60 * 109 * 0.7), 'band_3', 30],
    ['FEE-DE-D', 60 * 255, 'above', 0],
    ['FEE-DE-E', 12 * 41, 'default', 0],
    ['FEE-US-A', 60 * 10, 'band_1', 0],
    ['FEE-US-B', 60 * 25, 'band_2', 0],
    ['FEE-US-C', 60 * 50 * 0.7, 'band_3', 30],
    ['FEE-US-D', 60 * 70, 'above', 0],
    ['FEE-US-E', 12 * 25, 'default', 0],
  ]);
  const open =
    await sql`select 1 from fee_contest where status = 'open' union all select 1 from seller_support_request where status = 'open'`.execute(
      db,
    );
  expect(open.rows).toHaveLength(2);
});

it('its sellers who filed a contest and a question sign in with the demo password, named as their shop', async () => {
  // The start banner lists them with the demo logins: each must open its seller portal.
  const users = await sql<{ display_name: string; shop: string; password_hash: string }>`
    select u.display_name, s.name as shop, u.password_hash from app_user u join seller s on s.id = u.seller_id
    where u.email in ('fee.de.c@demo.onbehalf.test', 'fee.us.b@demo.onbehalf.test') order by u.email`.execute(
    db,
  );
  expect(users.rows.map((u) => u.display_name)).toEqual(['Edelstahl Manufaktur', 'Harbor Home Goods']);
  for (const u of users.rows) {
    expect(u.display_name).toBe(u.shop);
    expect(await verifyPassword(u.password_hash, DEMO_PASSWORD)).toBe(true);
  }
});
