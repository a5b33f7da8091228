// The agent console's pages at size (issue 17: "the queue and a case open in under a second with
// 100,000 cases"): the reads the queue page and a case page make, timed against the plain index
// lookup of a case by number in the same run.
// `npm run bench -- pages --cases 100000 --messages-per-case 5`
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { caseSummary } from '../src/server/modules/cases/case-work';
import { caseHistory, findCase, ownedCases } from '../src/server/modules/cases/cases.repository';
import { queueBoard } from '../src/server/modules/cases/queue-board';
import { searchCases } from '../src/server/modules/cases/search';
import { applyRecords, demoMarketplaces } from '../src/server/modules/marketplace';
import { openDatabase } from '../src/server/platform/db';
import { benchServer, fmt } from './bench-database';
import { fill } from './search';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      cases: { type: 'string', default: '100000' },
      'messages-per-case': { type: 'string', default: '5' },
      // Open cases the measured agent owns: the queue page lists them all.
      owned: { type: 'string', default: '40' },
      queries: { type: 'string', default: '200' },
    },
  });
  const cases = Number(values.cases);
  const perCase = Number(values['messages-per-case']);
  const owned = Number(values.owned);
  const queries = Number(values.queries);
  const server = await benchServer();
  const database = openDatabase(await server.fresh('onbehalf_bench_pages'), 4);
  const db = database.db;
  try {
    process.stdout.write(`Console pages: ${fmt(cases)} cases, ${fmt(cases * perCase)} messages\n`);
    await db.transaction().execute((tx) => applyRecords(tx, demoMarketplaces([2024, 2025, 2026])));
    await fill(db, cases, perCase, Math.max(1, Math.floor(cases / 5)));
    const agent = await sql<{
      id: string;
    }>`insert into app_user (email, display_name, password_hash, role, languages)
      values ('agent@bench.example', 'Bench Agent', 'x', 'agent', '{fr}') returning id`.execute(db);
    const agentId = agent.rows[0]!.id;
    // The agent's open cases spread over the whole history, each with a few events, as work leaves them.
    await sql`update cs_case set owner_user_id = ${agentId}::uuid, owner_kind = 'agent', status = 'waiting_for_agent'
      where id in (select id from cs_case order by md5(id::text) limit ${owned})`.execute(db);
    await sql`insert into case_event (case_id, kind, actor_kind, data, at)
      select c.id, 'assigned', 'system', '{}'::jsonb, c.opened_at + k * interval '1 minute'
      from cs_case c, generate_series(1, 5) k where c.owner_user_id = ${agentId}::uuid`.execute(db);
    await sql`analyze`.execute(db);
    const numbers = (
      await sql<{
        case_number: string;
      }>`select case_number from cs_case order by md5(id::text) limit 1000`.execute(db)
    ).rows.map((r) => r.case_number);
    const number = (i: number) => numbers[i % numbers.length]!;

    const kinds: [string, (i: number) => Promise<unknown>][] = [
      ['case by number (baseline: index lookup)', (i) => findCase(db, number(i))],
      ['queue page: GET /agent/cases', () => ownedCases(db, agentId)],
      [
        'case page: GET /cases/:ref',
        async (i) => {
          const c = (await findCase(db, number(i)))!;
          return [await caseHistory(db, c.id), await caseSummary(db, c)];
        },
      ],
      [
        'case page: its search hit (GET /cases?caseNumber)',
        (i) => searchCases(db, { caseNumber: number(i), limit: 1 }),
      ],
      ['supervisor: GET /supervisor/queue-board', () => queueBoard(db, new Date())],
      ['search page: newest cases in a queue', () => searchCases(db, { queue: 'FR:fr', limit: 25 })],
    ];
    process.stdout.write(`  ${queries} calls each, one at a time:\n`);
    for (const [name, call] of kinds) {
      for (let i = 0; i < 20; i++) await call(i + 5000); // warm
      const times: number[] = [];
      for (let i = 0; i < queries; i++) {
        const s = performance.now();
        await call(i);
        times.push(performance.now() - s);
      }
      process.stdout.write(
        `    ${name.padEnd(50)} p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms\n`,
      );
    }
  } finally {
    await database.close();
    await server.stop();
  }
}
