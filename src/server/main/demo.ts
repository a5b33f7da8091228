// The demo marketplace: five marketplaces, simulated sellers, products, buyers and orders, and one
// login per role. Loaded once; a second start finds the marker and leaves the data alone.
import { sql } from 'kysely';
import { hashPassword, insertUser, sha256 } from '../modules/identity';
import { applyRecords, simulate, simulatedIds } from '../modules/marketplace';
import { autoEnrolNewSellers, enrol, insertPolicy } from '../modules/programs';
import type { Db } from '../platform/db';
import type { UserRole } from '../platform/http/access';

export const DEMO_PASSWORD = 'onbehalf-demo';
// A fixed key so the demo can print it at every start. Never use it outside the demo.
export const DEMO_API_KEY = 'obk_000000000000_demo-integration-key-00000000000';
const DEMO_MARKER = 'demo_loaded';
// The demo's own ids: a simulation imported next to it (README) never overwrites them.
const demoIds = simulatedIds('demo');

export type DemoLogin = { role: UserRole; email: string; note: string };

export async function loadDemo(
  db: Db,
  options: { orders?: number; until?: Date } = {},
): Promise<{ loaded: boolean }> {
  return db.transaction().execute(async (tx) => {
    // Serialise concurrent first starts on one lock.
    await sql`select pg_advisory_xact_lock(7432002)`.execute(tx);
    const done = await sql`select 1 from platform_state where key = ${DEMO_MARKER}`.execute(tx);
    if (done.rows.length > 0) return { loaded: false };

    const records = [
      ...simulate({ orders: options.orders ?? 400, sellers: 24, seed: 42, until: options.until, demo: true }),
    ];
    const result = await applyRecords(tx, records);
    if (result.rejected.length > 0)
      throw new Error(`Demo data rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);

    const ids = async (table: 'seller' | 'buyer', externalId: string) =>
      (
        await sql<{
          id: string;
        }>`select id from ${sql.table(table)} where external_id = ${externalId}`.execute(tx)
      ).rows[0]!.id;
    // A buyer who has orders, so the buyer login shows something.
    const buyer = await sql<{ external_id: string }>`
      select b.external_id from "order" o join buyer b on b.id = o.buyer_id where o.marketplace_id = 'IT'
      order by o.ordered_at desc limit 1`.execute(tx);
    const buyerExternalId = buyer.rows[0]?.external_id ?? demoIds.buyer('IT', 0);

    // The managed service: US enrols new sellers automatically (SPEC P4); the IT demo seller has
    // enrolled itself in IT, so its services page shows a trial.
    const now = new Date();
    for (const m of ['US', 'IT', 'ES', 'FR', 'DE']) {
      await insertPolicy(tx, m, new Date('2025-01-01T00:00:00Z'), {
        trialDays: 30,
        autoEnrolNewSellers: m === 'US',
      });
    }
    await autoEnrolNewSellers(tx, new Date(0), now);
    // Where sellers forward buyers' messages (SPEC R5).
    await sql`insert into forwarding_address (local_part, seller_home_country, marketplace_id)
      values ('us2us', 'US', 'US'), ('cn2us', 'CN', 'US'), ('de2de', 'DE', 'DE'), ('cn2de', 'CN', 'DE')
      on conflict do nothing`.execute(tx);
    await enrol(tx, await ids('seller', demoIds.seller(2)), 'IT', 'seller', now);

    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const login of demoLogins(buyerExternalId)) {
      const user = await insertUser(tx, {
        email: login.email,
        display_name: login.note,
        password_hash: passwordHash,
        role: login.role,
        seller_id: login.seller ? await ids('seller', login.seller) : null,
        buyer_id: login.role === 'buyer' ? await ids('buyer', buyerExternalId) : null,
        languages: login.languages,
      });
      if (login.marketplaces) {
        await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, premium)
          values (${user.id}::uuid, ${login.marketplaces}::text[], ${login.languages}::text[], 8, true) on conflict do nothing`.execute(
          tx,
        );
      }
    }
    await sql`insert into api_key (name, prefix, key_hash, scopes)
      values ('Demo commerce platform', '000000000000', ${sha256(DEMO_API_KEY)}, '{integration:write,integration:read}')
      on conflict (prefix) do nothing`.execute(tx);
    await sql`insert into platform_state (key, value) values (${DEMO_MARKER}, ${JSON.stringify({ at: new Date() })}::jsonb)`.execute(
      tx,
    );
    return { loaded: true };
  });
}

type DemoUser = DemoLogin & { languages: string[]; seller?: string; marketplaces?: string[] };

function demoLogins(buyerExternalId: string): DemoUser[] {
  return [
    { role: 'admin', email: 'admin@demo.onbehalf.test', note: 'Operator admin', languages: ['en'] },
    {
      role: 'supervisor',
      email: 'supervisor@demo.onbehalf.test',
      note: 'Supervisor Sofia',
      languages: ['it', 'en', 'es'],
      marketplaces: ['US', 'IT', 'ES', 'FR', 'DE'],
    },
    {
      role: 'agent',
      email: 'agent.it@demo.onbehalf.test',
      note: 'Agent Giulia (it, en)',
      languages: ['it', 'en'],
      marketplaces: ['IT', 'US'],
    },
    {
      role: 'agent',
      email: 'agent.de@demo.onbehalf.test',
      note: 'Agent Jonas (de, en, zh)',
      languages: ['de', 'en', 'zh'],
      marketplaces: ['DE', 'US'],
    },
    {
      role: 'agent',
      email: 'agent.es@demo.onbehalf.test',
      note: 'Agente Lucía (es, fr)',
      languages: ['es', 'fr'],
      marketplaces: ['ES', 'FR', 'US'],
    },
    {
      role: 'claims_reviewer',
      email: 'claims@demo.onbehalf.test',
      note: 'Claims reviewer Paul',
      languages: ['en', 'fr'],
    },
    {
      role: 'seller',
      email: 'seller.cn@demo.onbehalf.test',
      note: `Seller user of ${demoIds.seller(1)} (CN, sells in US and DE)`,
      languages: ['zh', 'en'],
      seller: demoIds.seller(1),
    },
    {
      role: 'seller',
      email: 'seller.it@demo.onbehalf.test',
      note: `Seller user of ${demoIds.seller(2)} (IT)`,
      languages: ['it'],
      seller: demoIds.seller(2),
    },
    { role: 'buyer', email: 'buyer@demo.onbehalf.test', note: `Buyer ${buyerExternalId}`, languages: ['it'] },
  ];
}

export async function listDemoLogins(db: Db): Promise<DemoLogin[]> {
  const r = await sql<{ role: UserRole; email: string; display_name: string }>`
    select role, email, display_name from app_user where email like '%@demo.onbehalf.test' order by role, email`.execute(
    db,
  );
  return r.rows.map((u) => ({ role: u.role, email: u.email, note: u.display_name }));
}
