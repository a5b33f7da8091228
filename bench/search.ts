// Case search at size (issue 17): cases and their messages bulk-filled, then the console's searchCases
// timed for each kind of search against the plain index lookup by case number, in the same run.
// `npm run bench -- search --cases 1000000 --messages-per-case 10`
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { searchCases } from '../src/server/modules/cases/search';
import { applyRecords, demoMarketplaces } from '../src/server/modules/marketplace';
import { type Db, openDatabase, withDatabaseName } from '../src/server/platform/db';
import { migrate } from '../src/server/platform/migrate';
import { benchServer, fmt } from './bench-database';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

// Where each language's cases live, and words their buyers write (13 per language: a common word
// matches about 1 message in 13 of its language; the `kNNNN` order codes are rare, ~50 messages each).
const LANGUAGES = [
  [
    'IT',
    'it',
    'pacco rotto arrivato rimborso reso ordine ritardo fattura corriere prodotto danneggiato manca aiuto',
  ],
  [
    'ES',
    'es',
    'paquete roto llegado reembolso devolución pedido retraso factura mensajero producto dañado falta ayuda',
  ],
  [
    'FR',
    'fr',
    'colis cassé arrivé remboursement retour commande retard facture livreur produit abîmé manque aide',
  ],
  [
    'DE',
    'de',
    'paket kaputt angekommen erstattung rücksendung bestellung verspätung rechnung kurier produkt beschädigt fehlt hilfe',
  ],
  [
    'US',
    'en',
    'parcel broken arrived refund return order delay invoice courier product damaged missing help',
  ],
] as const;
const STATUSES = [
  'resolved',
  'resolved',
  'resolved',
  'closed',
  'waiting_for_agent',
  'waiting_for_buyer',
  'new',
];

export async function fill(db: Db, cases: number, perCase: number, buyers: number) {
  const chunk = 100_000;
  // Built once after the fill rather than grown row by row: the same index, far sooner.
  await sql`drop index case_search_text_words`.execute(db);
  await sql`insert into buyer (external_id, name, email, language)
    select 'BB-' || g, 'Buyer ' || g, 'buyer' || g || '@bench.example', 'it'
    from generate_series(1, ${buyers}) g`.execute(db);
  const buyerIds = sql`(select array_agg(id order by external_id) from buyer)`;
  for (let from = 0; from < cases; from += chunk) {
    const to = Math.min(cases, from + chunk) - 1;
    await db.connection().execute(async (c) => {
      // Set-up, not the measured path: triggers off, so the search vectors are written here directly.
      await sql`set session_replication_role = replica`.execute(c);
      await sql`with b as (select ${buyerIds} as ids),
          l as (select array[${sql.join(LANGUAGES.map(([m]) => sql`${m}`))}] as m,
                       array[${sql.join(LANGUAGES.map(([, l]) => sql`${l}`))}] as lang)
        insert into cs_case (id, case_number, marketplace_id, buyer_id, language, channel, topic, routing_reason,
          queue, status, owner_kind, first_response_due_at, opened_at, updated_at, resolved_at)
        select md5('c' || g)::uuid, l.m[1 + g % 5] || '-' || lpad(g::text, 7, '0'), l.m[1 + g % 5],
          b.ids[1 + (g * 7919) % ${buyers}], l.lang[1 + g % 5], (array['chat','email','phone'])[1 + g % 3],
          'order_status', 'bench', l.m[1 + g % 5] || ':' || l.lang[1 + g % 5],
          (array[${sql.join(STATUSES.map((s) => sql`${s}`))}])[1 + (g / 5) % ${STATUSES.length}], 'unassigned',
          timestamptz '2024-01-01' + g * interval '60 seconds' + interval '1 day',
          timestamptz '2024-01-01' + g * interval '60 seconds', timestamptz '2024-01-01' + g * interval '60 seconds', null
        from generate_series(${from}::bigint, ${to}::bigint) g, b, l`.execute(c);
      await sql`with w as (select ${sql.join(
        LANGUAGES.map(([, l, words]) => sql`string_to_array(${words}::text, ' ') as ${sql.ref(`w_${l}`)}`),
      )})
        insert into case_message (case_id, author_kind, channel, body, sent_at, search_vector)
        select md5('c' || g)::uuid, 'buyer', 'email', x.body,
          timestamptz '2024-01-01' + g * interval '60 seconds' + k * interval '1 second',
          to_tsvector(case_search_config((array['it','es','fr','de','en'])[1 + g % 5]), x.body)
        from generate_series(${from}::bigint, ${to}::bigint) g, generate_series(1, ${perCase}) k, w,
          lateral (select case g % 5 when 0 then w.w_it when 1 then w.w_es when 2 then w.w_fr when 3 then w.w_de else w.w_en end as words) ws,
          lateral (select ws.words[1 + (g * 31 + k * 17) % 13] || ' ' || ws.words[1 + (g * 7 + k * 5) % 13]
            || ' k' || ((g * ${perCase} + k) * 2654435761 % ${Math.max(1, Math.floor((cases * perCase) / 50))}) as body) x`.execute(
        c,
      );
      // Each case's words in one row, as the triggers of migration 0075 keep them.
      await sql`insert into case_search_text (case_id, search_vector)
        select m.case_id, case_search_concat(m.search_vector order by m.sent_at, m.id)
        from case_message m
        where m.case_id in (select md5('c' || g)::uuid from generate_series(${from}::bigint, ${to}::bigint) g)
        group by m.case_id`.execute(c);
      await sql`set session_replication_role = origin`.execute(c);
    });
    process.stdout.write(`\r  filled ${fmt(to + 1)} cases, ${fmt((to + 1) * perCase)} messages`);
  }
  process.stdout.write('\n');
  await db.connection().execute(async (c) => {
    await sql`set maintenance_work_mem = '512MB'`.execute(c);
    // As migration 0075 makes it.
    await sql`create index case_search_text_words on case_search_text using gin (search_vector)
      with (gin_pending_list_limit = 512)`.execute(c);
  });
  await sql`vacuum analyze cs_case`.execute(db);
  await sql`vacuum analyze case_message`.execute(db);
  await sql`vacuum analyze case_search_text`.execute(db);
  await sql`vacuum analyze buyer`.execute(db);
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      cases: { type: 'string', default: '1000000' },
      'messages-per-case': { type: 'string', default: '10' },
      buyers: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '300' },
      // Search the database a previous run filled (same sizes), skipping the fill; newer migrations are applied.
      reuse: { type: 'boolean', default: false },
    },
  });
  const cases = Number(values.cases);
  const perCase = Number(values['messages-per-case']);
  const buyers = Math.min(Number(values.buyers), Math.max(1, Math.floor(Number(values.cases) / 5)));
  const queries = Number(values.queries);
  const server = await benchServer();
  const name = 'onbehalf_bench_search';
  const url = values.reuse ? withDatabaseName(server.adminUrl, name) : await server.fresh(name);
  const database = openDatabase(url, 4);
  const db = database.db;
  try {
    process.stdout.write(
      `Case search: ${fmt(cases)} cases, ${fmt(cases * perCase)} messages, ${fmt(buyers)} buyers\n`,
    );
    if (values.reuse) {
      // A database filled before newer migrations: they are applied (and their backfills timed) first.
      const t0 = performance.now();
      const { applied } = await migrate(url);
      if (applied.length > 0)
        process.stdout.write(`  applied ${applied.join(', ')}: ${fmt((performance.now() - t0) / 1000)} s\n`);
    } else {
      await db.transaction().execute((tx) => applyRecords(tx, demoMarketplaces([2024, 2025, 2026])));
      const t0 = performance.now();
      await fill(db, cases, perCase, buyers);
      process.stdout.write(`  fill and indexes: ${fmt((performance.now() - t0) / 1000)} s\n`);
    }

    const rareCodes = Math.max(1, Math.floor((cases * perCase) / 50));
    const n = (i: number) => (i * 104_729) % cases;
    const [m, lang, words] = LANGUAGES[2]!;
    const kinds: [string, (i: number) => Parameters<typeof searchCases>[1]][] = [
      [
        'by case number (baseline: index lookup)',
        (i) => ({ caseNumber: `${LANGUAGES[n(i) % 5]![0]}-${String(n(i)).padStart(7, '0')}`, limit: 25 }),
      ],
      ['by buyer e-mail', (i) => ({ buyerEmail: `BUYER${1 + ((i * 7) % buyers)}@bench.example`, limit: 25 })],
      [
        'by status and queue, newest first',
        (i) => ({ status: STATUSES[i % STATUSES.length] as 'new', queue: `${m}:${lang}`, limit: 25 }),
      ],
      ['text: a rare word (order code)', (i) => ({ text: `k${(i * 7907) % rareCodes}`, limit: 25 })],
      [
        'text: two common words, any language',
        (i) => ({ text: `${words.split(' ')[i % 13]} ${words.split(' ')[(i + 5) % 13]}`, limit: 25 }),
      ],
      [
        'text: a common word in a queue',
        (i) => ({ text: words.split(' ')[i % 13], queue: `${m}:${lang}`, limit: 25 }),
      ],
      [
        'text: rare word + status filter',
        (i) => ({ text: `k${(i * 15_485_863) % rareCodes}`, status: 'resolved', limit: 25 }),
      ],
    ];
    process.stdout.write(`  ${queries} searches each, one at a time, 25 a page:\n`);
    const results: Record<string, { p50: number; p99: number; hits: number }> = {};
    for (const [name, make] of kinds) {
      for (let i = 0; i < 20; i++) await searchCases(db, make(i + 10_000)); // warm
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < queries; i++) {
        const s = performance.now();
        hits += (await searchCases(db, make(i))).cases.length;
        times.push(performance.now() - s);
      }
      results[name] = { p50: percentile(times, 50), p99: percentile(times, 99), hits: hits / queries };
      process.stdout.write(
        `    ${name.padEnd(42)} p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms  (${(hits / queries).toFixed(1)} cases a page)\n`,
      );
    }
    const worst = Math.max(...Object.values(results).map((r) => r.p99));
    process.stdout.write(
      `  worst p99 ${worst.toFixed(2)} ms: ${worst < 50 ? 'within' : 'OVER'} the 50 ms target\n`,
    );
  } finally {
    await database.close();
    await server.stop();
  }
}
