// The demo marketplace: five marketplaces, simulated sellers, products, buyers and orders, the chat's
// flows (demo-flows.ts), and logins per role. Loaded once; a second start finds the markers and leaves
// the data alone.
import { sql } from 'kysely';
import { hashPassword, insertUser, sha256 } from '../modules/identity';
import { applyRecords, simulate, simulatedIds } from '../modules/marketplace';
import { autoEnrolNewSellers, enrol, insertPolicy } from '../modules/programs';
import type { Db } from '../platform/db';
import type { UserRole } from '../platform/http/access';
import { DEMO_MANAGED_SELLER, demoFlowMarkets, demoFlowRecords } from './demo-flows';

export const DEMO_PASSWORD = 'onbehalf-demo';
// A fixed key so the demo can print it at every start. Never use it outside the demo.
export const DEMO_API_KEY = 'obk_000000000000_demo-integration-key-00000000000';
const DEMO_MARKER = 'demo_loaded';
const DEMO_FLOWS_MARKER = 'demo_chat_flows_loaded';
// The demo's own ids: a simulation imported next to it (README) never overwrites them.
const demoIds = simulatedIds('demo');

export type DemoLogin = { role: UserRole; email: string; note: string; buyer?: string };

/**
 * Loads what is missing of the demo, each part once: the marketplace's history (`loaded`), then the
 * chat flows (`flows`, demo-flows.ts) — also into a database that holds the history of an earlier
 * version. A second start finds both markers and writes nothing.
 */
export async function loadDemo(
  db: Db,
  options: { orders?: number; until?: Date; now?: Date } = {},
): Promise<{ loaded: boolean; flows: boolean }> {
  return db.transaction().execute(async (tx) => {
    // Serialise concurrent first starts on one lock.
    await sql`select pg_advisory_xact_lock(7432002)`.execute(tx);
    const markers = await sql<{ key: string }>`select key from platform_state
      where key in (${DEMO_MARKER}, ${DEMO_FLOWS_MARKER})`.execute(tx);
    const has = (key: string) => markers.rows.some((r) => r.key === key);
    const now = options.now ?? new Date();
    // Hashed once for every login (scrypt is slow on purpose).
    let passwordHash: string | undefined;
    const hash = async () => (passwordHash ??= await hashPassword(DEMO_PASSWORD));
    const loaded = !has(DEMO_MARKER);
    if (loaded) await loadHistory(tx, options, now, hash);
    const flows = !has(DEMO_FLOWS_MARKER);
    if (flows) await loadFlows(tx, now, hash);
    return { loaded, flows };
  });
}

async function idOf(tx: Db, table: 'seller' | 'buyer', externalId: string): Promise<string> {
  const r = await sql<{
    id: string;
  }>`select id from ${sql.table(table)} where external_id = ${externalId}`.execute(tx);
  return r.rows[0]!.id;
}

async function loadHistory(
  tx: Db,
  options: { orders?: number; until?: Date },
  now: Date,
  hash: () => Promise<string>,
) {
  const records = [
    ...simulate({ orders: options.orders ?? 400, sellers: 24, seed: 42, until: options.until, demo: true }),
  ];
  const result = await applyRecords(tx, records);
  if (result.rejected.length > 0)
    throw new Error(`Demo data rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);

  // A buyer who has orders, so the buyer login shows something.
  const buyer = await sql<{ external_id: string }>`
    select b.external_id from "order" o join buyer b on b.id = o.buyer_id where o.marketplace_id = 'IT'
    order by o.ordered_at desc limit 1`.execute(tx);
  const buyerExternalId = buyer.rows[0]?.external_id ?? demoIds.buyer('IT', 0);

  // The managed service: US enrols new sellers automatically (SPEC P4); the IT demo seller has
  // enrolled itself in IT, so its services page shows a trial.
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
  await enrol(tx, await idOf(tx, 'seller', demoIds.seller(2)), 'IT', 'seller', now);

  await insertLogins(tx, historyLogins(buyerExternalId), hash);
  await sql`insert into api_key (name, prefix, key_hash, scopes)
    values ('Demo commerce platform', '000000000000', ${sha256(DEMO_API_KEY)}, '{integration:write,integration:read}')
    on conflict (prefix) do nothing`.execute(tx);
  await sql`insert into platform_state (key, value) values (${DEMO_MARKER}, ${JSON.stringify({ at: now })}::jsonb)`.execute(
    tx,
  );
}

/** The chat flows' sellers and orders, a buyer login per language, and agents of every language. */
async function loadFlows(tx: Db, now: Date, hash: () => Promise<string>) {
  // The IT flows belong to the buyer the buyer login already shows; each other language's to a
  // buyer of its marketplace who speaks it (the simulator's second buyer there).
  const itBuyer = await sql<{ external_id: string }>`select b.external_id from app_user u
    join buyer b on b.id = u.buyer_id where u.email = ${demoFlowMarkets[0].login}`.execute(tx);
  const buyers: Record<string, string> = Object.fromEntries(
    demoFlowMarkets.map((m) => [m.marketplace, demoIds.buyer(m.marketplace, 1)]),
  );
  buyers.IT = itBuyer.rows[0]?.external_id ?? demoIds.buyer('IT', 0);

  const result = await applyRecords(tx, demoFlowRecords(now, buyers));
  if (result.rejected.length > 0)
    throw new Error(`Demo flows rejected: ${JSON.stringify(result.rejected.slice(0, 3))}`);
  const managed = await idOf(tx, 'seller', DEMO_MANAGED_SELLER);
  for (const m of demoFlowMarkets) {
    const enrolled = await sql`select 1 from service_enrolment where seller_id = ${managed}::uuid
      and marketplace_id = ${m.marketplace}`.execute(tx);
    if (enrolled.rows.length === 0) await enrol(tx, managed, m.marketplace, 'seller', now);
  }
  // Agents' first names are what the buyer reads ("Giulia has joined"): no role words in them.
  for (const [email, name] of Object.entries(STAFF_NAMES))
    await sql`update app_user set display_name = ${name} where email = ${email}`.execute(tx);
  await insertLogins(
    tx,
    [
      ...flowAgents,
      ...demoFlowMarkets.slice(1).map(
        (m): DemoUser => ({
          role: 'buyer',
          email: m.login,
          note: `Buyer ${buyers[m.marketplace]}`,
          languages: [m.language],
          buyer: buyers[m.marketplace],
        }),
      ),
      {
        role: 'seller',
        email: 'seller.aurora@demo.onbehalf.test',
        note: 'Casa Aurora (seller of the chat flows, in the managed service everywhere)',
        languages: ['it', 'en'],
        seller: DEMO_MANAGED_SELLER,
      },
    ],
    hash,
  );
  await sql`insert into platform_state (key, value) values (${DEMO_FLOWS_MARKER}, ${JSON.stringify({ at: now })}::jsonb)`.execute(
    tx,
  );
}

async function insertLogins(tx: Db, logins: DemoUser[], hash: () => Promise<string>) {
  for (const login of logins) {
    const sellerId = login.seller ? await idOf(tx, 'seller', login.seller) : null;
    const buyerId = login.buyer ? await idOf(tx, 'buyer', login.buyer) : null;
    const user = await insertUser(tx, {
      email: login.email,
      // A buyer or seller is shown by their own name ("Signed in as Sara Ferrari"); the note is the banner's.
      display_name: (await ownerName(tx, sellerId, buyerId)) ?? login.note,
      password_hash: await hash(),
      role: login.role,
      seller_id: sellerId,
      buyer_id: buyerId,
      languages: login.languages,
    });
    if (login.marketplaces) {
      await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, premium)
        values (${user.id}::uuid, ${login.marketplaces}::text[], ${login.languages}::text[], 8, true) on conflict do nothing`.execute(
        tx,
      );
    }
  }
}

async function ownerName(tx: Db, sellerId: string | null, buyerId: string | null) {
  const r = sellerId
    ? await sql<{ name: string }>`select name from seller where id = ${sellerId}::uuid`.execute(tx)
    : buyerId
      ? await sql<{ name: string }>`select name from buyer where id = ${buyerId}::uuid`.execute(tx)
      : null;
  return r?.rows[0]?.name;
}

type DemoUser = DemoLogin & { languages: string[]; seller?: string; buyer?: string; marketplaces?: string[] };

const STAFF_NAMES: Record<string, string> = {
  'supervisor@demo.onbehalf.test': 'Sofia Bianchi',
  'agent.it@demo.onbehalf.test': 'Giulia Rossi',
  'agent.de@demo.onbehalf.test': 'Jonas Weber',
  'agent.es@demo.onbehalf.test': 'Lucía García',
};

/** With the agents of the history, someone to take a chat in each of it, es, fr, de and en. */
const flowAgents: DemoUser[] = [
  {
    role: 'agent',
    email: 'agent.fr@demo.onbehalf.test',
    note: 'Camille Martin',
    languages: ['fr', 'en'],
    marketplaces: ['FR', 'US'],
  },
  {
    role: 'agent',
    email: 'agent.en@demo.onbehalf.test',
    note: 'Emma Johnson',
    languages: ['en'],
    marketplaces: ['US', 'DE'],
  },
];

function historyLogins(buyerExternalId: string): DemoUser[] {
  return [
    { role: 'admin', email: 'admin@demo.onbehalf.test', note: 'Operator admin', languages: ['en'] },
    {
      role: 'supervisor',
      email: 'supervisor@demo.onbehalf.test',
      note: STAFF_NAMES['supervisor@demo.onbehalf.test']!,
      languages: ['it', 'en', 'es'],
      marketplaces: ['US', 'IT', 'ES', 'FR', 'DE'],
    },
    {
      role: 'agent',
      email: 'agent.it@demo.onbehalf.test',
      note: STAFF_NAMES['agent.it@demo.onbehalf.test']!,
      languages: ['it', 'en'],
      marketplaces: ['IT', 'US'],
    },
    {
      role: 'agent',
      email: 'agent.de@demo.onbehalf.test',
      note: STAFF_NAMES['agent.de@demo.onbehalf.test']!,
      languages: ['de', 'en', 'zh'],
      marketplaces: ['DE', 'US'],
    },
    {
      role: 'agent',
      email: 'agent.es@demo.onbehalf.test',
      note: STAFF_NAMES['agent.es@demo.onbehalf.test']!,
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
    {
      role: 'buyer',
      email: 'buyer@demo.onbehalf.test',
      note: `Buyer ${buyerExternalId}`,
      languages: ['it'],
      buyer: buyerExternalId,
    },
  ];
}

/**
 * The logins printed at start: for those who chat, the languages they speak and where they take chats;
 * a buyer's or seller's id and where a seller is in the managed service, to know what each shows.
 */
export async function listDemoLogins(db: Db): Promise<DemoLogin[]> {
  const r = await sql<{
    role: UserRole;
    email: string;
    display_name: string;
    languages: string[];
    marketplaces: string[] | null;
    buyer: string | null;
    seller: string | null;
    enrolled: string[] | null;
  }>`select u.role, u.email, u.display_name, u.languages, p.marketplaces, b.external_id as buyer,
      s.external_id as seller,
      (select array_agg(e.marketplace_id order by e.marketplace_id) from service_enrolment e
        where e.seller_id = s.id and e.withdrawn_at is null) as enrolled
    from app_user u
      left join agent_profile p on p.user_id = u.id
      left join buyer b on b.id = u.buyer_id
      left join seller s on s.id = u.seller_id
    where u.email like '%@demo.onbehalf.test' order by u.role, u.email`.execute(db);
  return r.rows.map((u) => ({
    role: u.role,
    email: u.email,
    ...(u.buyer ? { buyer: u.buyer } : {}),
    note: u.marketplaces
      ? `${u.display_name} (${u.languages.join(', ')}; chats in ${u.marketplaces.join(', ')})`
      : u.buyer
        ? `${u.display_name} (buyer ${u.buyer}, ${u.languages.join(', ')})`
        : u.seller
          ? `${u.display_name} (seller ${u.seller}; ${u.enrolled ? `managed service in ${u.enrolled.join(', ')}` : 'not enrolled'})`
          : u.display_name,
  }));
}
