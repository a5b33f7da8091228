// The demo's fees: five sellers in US and five in DE, enrolled half a year ago, with shipments and
// contacts that put them in different bands, last month charged and explained by the same monthly run
// the timer does, one contest waiting for staff and one seller-support question. Loaded once (a marker).
import { sql } from 'kysely';
import { addMonths, monthOf, runDueFeeMonths } from '../modules/billing';
import { hashPassword, insertUser } from '../modules/identity';
import { applyRecords } from '../modules/marketplace';
import { enrol } from '../modules/programs';
import type { Db } from '../platform/db';
import { DEMO_PASSWORD } from './demo';

const MARKER = 'demo_fees_loaded';

// Per seller: contacts in the band window (on 200 units), share of shipments scanned, units last month.
const PROFILES = [
  { key: 'A', windowUnits: 200, contacts: 6, scannedPercent: 100, lastMonth: 60 }, // 3 %: band 1, not free (not below 3 %)
  { key: 'B', windowUnits: 200, contacts: 20, scannedPercent: 90, lastMonth: 60 }, // 10 %: band 2, tracking missed
  { key: 'C', windowUnits: 200, contacts: 50, scannedPercent: 97, lastMonth: 60 }, // 25 %: band 3, 30 % off for tracking
  { key: 'D', windowUnits: 200, contacts: 80, scannedPercent: 80, lastMonth: 60 }, // 40 %: above every band
  { key: 'E', windowUnits: 20, contacts: 1, scannedPercent: 50, lastMonth: 12 }, // 30 units or fewer: the default band
];

const zones = { US: 'America/New_York', DE: 'Europe/Berlin' } as const;
/** Shop names by marketplace and profile: what the seller reads on signing in. */
const SHOP_NAMES: Record<keyof typeof zones, Record<string, string>> = {
  US: {
    A: 'Maple & Pine Kitchen',
    B: 'Harbor Home Goods',
    C: 'Copper Kettle Co.',
    D: 'Bargain Barn Outlet',
    E: 'Tiny Teapot Studio',
  },
  DE: {
    A: 'Küchenhaus Weber',
    B: 'Haushalt Schmidt',
    C: 'Edelstahl Manufaktur',
    D: 'Schnäppchen Markt',
    E: 'Kleine Teestube',
  },
};

export async function loadFeesDemo(db: Db, now = new Date()): Promise<{ loaded: boolean }> {
  const run = async (tx: Db) => {
    await sql`select pg_advisory_xact_lock(7432018)`.execute(tx);
    if ((await sql`select 1 from platform_state where key = ${MARKER}`.execute(tx)).rows.length > 0)
      return { loaded: false };
    const records: unknown[] = [
      {
        type: 'buyer',
        externalId: 'FEE-BUYER',
        name: 'Fee demo buyer',
        email: 'fee.buyer@demo.onbehalf.test',
        language: 'en',
      },
    ];
    const orders: { seller: string; marketplace: string; order: string; at: Date; inWindow: boolean }[] = [];
    for (const [marketplace, timeZone] of Object.entries(zones)) {
      const lastMonth = addMonths(monthOf(now, timeZone), -1);
      const monthStartUtc = (m: string) => new Date(`${m}-01T12:00:00Z`);
      for (const p of PROFILES) {
        const seller = `FEE-${marketplace}-${p.key}`;
        records.push(
          {
            type: 'seller',
            externalId: seller,
            name: SHOP_NAMES[marketplace as keyof typeof zones][p.key]!,
            homeCountry: marketplace,
            defaultEmail: `${seller.toLowerCase()}@demo.onbehalf.test`,
            languages: marketplace === 'DE' ? ['de', 'en'] : ['en'],
            standing: 'good',
          },
          {
            type: 'product',
            externalId: `${seller}-P`,
            sellerExternalId: seller,
            sku: `${seller}-SKU`,
            category: 'home_kitchen',
            pages: [
              {
                marketplace,
                language: marketplace === 'DE' ? 'de' : 'en',
                title: marketplace === 'DE' ? 'Wasserkocher aus Edelstahl' : 'Stainless steel kettle',
                bulletPoints: ['1.7 l'],
                description: '',
              },
            ],
          },
        );
        // The window's units over the three months before last month (days 2–27), then last month's.
        const shipments = [
          ...Array.from({ length: p.windowUnits }, (_, i) => ({
            at: new Date(
              monthStartUtc(addMonths(lastMonth, -3 + (i % 3))).getTime() + (1 + (i % 26)) * 86_400_000,
            ),
            inWindow: true,
            scanned: (i * 100) / p.windowUnits < p.scannedPercent,
          })),
          ...Array.from({ length: p.lastMonth }, (_, i) => ({
            at: new Date(monthStartUtc(lastMonth).getTime() + (1 + (i % 26)) * 86_400_000),
            inWindow: false,
            scanned: true,
          })),
        ];
        shipments.forEach((s, i) => {
          const order = `${seller}-O${i}`;
          const shippedAt = s.at.toISOString();
          records.push(
            {
              type: 'order',
              externalId: order,
              marketplace,
              sellerExternalId: seller,
              buyerExternalId: 'FEE-BUYER',
              fulfilmentChannel: 'seller',
              currency: marketplace === 'US' ? 'USD' : 'EUR',
              orderedAt: new Date(s.at.getTime() - 86_400_000).toISOString(),
              lines: [{ lineNo: 1, productExternalId: `${seller}-P`, units: 1, unitPrice: 2500 }],
              itemsTotal: 2500,
              shippingCharge: 0,
              orderTotal: 2500,
            },
            {
              type: 'shipment',
              externalId: `${order}-S`,
              orderExternalId: order,
              carrier: marketplace === 'US' ? 'UPS' : 'DHL',
              trackingNumber: `${order}-T`,
              shippedAt,
              events: [
                { code: 'label_created', occurredAt: shippedAt },
                ...(s.scanned
                  ? [{ code: 'picked_up', occurredAt: new Date(s.at.getTime() + 3_600_000).toISOString() }]
                  : []),
              ],
            },
          );
          orders.push({ seller, marketplace, order, at: s.at, inWindow: s.inWindow });
        });
      }
    }
    const applied = await applyRecords(tx, records);
    if (applied.rejected.length > 0)
      throw new Error(`Fee demo data rejected: ${JSON.stringify(applied.rejected.slice(0, 3))}`);

    const ids = new Map(
      (
        await sql<{
          id: string;
          external_id: string;
        }>`select id, external_id from seller where external_id like 'FEE-%'`.execute(tx)
      ).rows.map((r) => [r.external_id, r.id]),
    );
    for (const [marketplace, timeZone] of Object.entries(zones)) {
      const enrolledAt = new Date(`${addMonths(monthOf(now, timeZone), -6)}-01T12:00:00Z`);
      for (const p of PROFILES)
        await enrol(tx, ids.get(`FEE-${marketplace}-${p.key}`)!, marketplace, 'seller', enrolledAt);
    }
    // Contacts the marketplace's customer service handled for the window's orders (no case behind them:
    // the demo's agents' queues stay as the main demo made them).
    const contacts = PROFILES.flatMap((p) =>
      Object.keys(zones).flatMap((marketplace) =>
        orders
          .filter((o) => o.seller === `FEE-${marketplace}-${p.key}` && o.inWindow)
          .slice(0, p.contacts)
          .map((o, i) => ({
            order_ref: o.order,
            marketplace,
            channel: ['chat', 'email', 'phone'][i % 3],
            topic: ['order_status', 'delivery', 'damaged_or_wrong', 'return'][i % 4],
            at: new Date(o.at.getTime() + 2 * 3_600_000).toISOString(),
          })),
      ),
    );
    await sql`insert into contact (marketplace_id, channel, sender, buyer_id, seller_id, order_id, topic, handler, routing_reason, explanation, received_at)
      select c.marketplace, c.channel, 'buyer', o.buyer_id, o.seller_id, o.id, c.topic, 'marketplace_cs', 'enrolled_seller_fulfilled',
        'The seller is enrolled in the managed service: the marketplace answers (R1).', c.at
      from json_to_recordset(${JSON.stringify(contacts)}::json) as c(order_ref text, marketplace text, channel text, topic text, at timestamptz)
      join "order" o on o.external_id = c.order_ref`.execute(tx);

    // Every month due, as the timer on the 1st would: last month is charged and explained.
    await runDueFeeMonths(tx, now);

    // Something for staff to decide: seller C in DE contests a contact; seller B in US asks about its charge.
    const contested = await sql<{
      id: string;
    }>`select c.id from contact c where c.seller_id = ${ids.get('FEE-DE-C')}::uuid
      order by c.received_at desc limit 1`.execute(tx);
    // Users that filed them, with the demo password: the banner lists them, to see a seller in another band.
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const sellerName = async (sellerId: string) =>
      (await sql<{ name: string }>`select name from seller where id = ${sellerId}::uuid`.execute(tx)).rows[0]!
        .name;
    const sellerUser = async (sellerId: string, email: string) =>
      (
        await insertUser(tx, {
          email,
          display_name: await sellerName(sellerId),
          password_hash: passwordHash,
          role: 'seller',
          seller_id: sellerId,
          buyer_id: null,
          languages: ['en'],
        })
      ).id;
    const deUser = await sellerUser(ids.get('FEE-DE-C')!, 'fee.de.c@demo.onbehalf.test');
    await sql`insert into fee_contest (contact_id, seller_id, marketplace_id, reason, comment, status, filed_by, filed_at)
      values (${contested.rows[0]!.id}::uuid, ${ids.get('FEE-DE-C')}::uuid, 'DE', 'duplicate', 'The buyer wrote twice about the same parcel.', 'open', ${deUser}::uuid, ${now})`.execute(
      tx,
    );
    const usUser = await sellerUser(ids.get('FEE-US-B')!, 'fee.us.b@demo.onbehalf.test');
    await sql`insert into seller_support_request (seller_id, marketplace_id, subject, charge_month, question, status, asked_by, asked_at)
      values (${ids.get('FEE-US-B')}::uuid, 'US', 'charge', ${addMonths(monthOf(now, zones.US), -1)},
        'Why was there no tracking discount last month?', 'open', ${usUser}::uuid, ${now})`.execute(tx);

    await sql`insert into platform_state (key, value) values (${MARKER}, ${JSON.stringify({ at: now })}::jsonb)`.execute(
      tx,
    );
    return { loaded: true };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
