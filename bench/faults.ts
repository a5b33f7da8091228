// `npm run faults`: fault injection on loopback, bounded in time (about a minute). The real server runs
// as a child process on a PostgreSQL of its own (embedded, port FAULTS_PG_PORT, default 54345) while
// agents open contacts, reply and grant refunds (ledger postings, webhook deliveries to a local
// receiver) and buyers write in the chat over WebSocket (each message acknowledged once stored; after a cut
// the buyer reconnects with the last number it saw and sends its unacknowledged message again). Phase 1 kills the server with SIGKILL and starts it again on the same data; phase 2 stops
// PostgreSQL and starts it again under the running server. Then every acknowledged request (2xx with
// its id) is looked up in the database: found once, lost, or doubled; deliveries and timers are checked.
import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
import WebSocket from 'ws';
import type { ServerFrame } from '../src/contracts/chat';
import { signBuyerToken } from '../src/server/main/chat-cli';
import { DEMO_PASSWORD, loadDemo } from '../src/server/main/demo';
import { loadConfig } from '../src/server/platform/config';
import { openDatabase } from '../src/server/platform/db';
import { type EmbeddedServer, startEmbeddedPostgres } from '../src/server/platform/embedded-postgres';
import { migrate } from '../src/server/platform/migrate';
import { scheduleTimer } from '../src/server/platform/timers';
import { freePort } from '../test/helpers/free-port';

const root = join(import.meta.dirname, '..');
const pgPort = Number(process.env.FAULTS_PG_PORT ?? 54345);
// The server's port, chosen once: it comes back on the same one after kill -9.
const appPort = Number(process.env.FAULTS_APP_PORT ?? (await freePort()));
const base = `http://127.0.0.1:${appPort}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Ack = { kind: 'contact' | 'reply' | 'refund' | 'chat'; id: string; phase: string };
type Outcome = { status: number; code?: string; ms: number; at: number };

const acks: Ack[] = [];
const outcomes: Record<string, Outcome[]> = { kill: [], db: [] };
let phase = 'kill';
let seq = 0;

async function call(path: string, headers: Record<string, string>, body?: unknown) {
  const started = Date.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    outcomes[phase]!.push({
      status: res.status,
      code: json.error?.code,
      ms: Date.now() - started,
      at: started,
    });
    return { status: res.status, json };
  } catch (error) {
    // Refused or cut connection (the server is dead): not acknowledged.
    outcomes[phase]!.push({ status: 0, code: (error as Error).name, ms: Date.now() - started, at: started });
    return { status: 0, json: {} as Record<string, any> };
  }
}

async function login(email: string) {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    }).catch(() => null);
    if (res?.ok) {
      const cookie = res.headers
        .getSetCookie()
        .find((c) => c.startsWith('onbehalf_session='))!
        .split(';')[0]!;
      return { cookie, 'x-csrf-token': ((await res.json()) as { csrfToken: string }).csrfToken };
    }
    await sleep(100);
  }
  throw new Error(`could not sign in as ${email}`);
}

/** One agent's loop: a contact on an order, a reply on its case, a small refund on it. */
async function agentLoop(
  headers: Record<string, string>,
  worker: Record<string, string>,
  orders: { id: string; mk: string }[],
  until: () => boolean,
) {
  while (!until()) {
    const n = ++seq;
    const o = orders[n % orders.length]!;
    const contact = await call(
      '/api/v1/contacts',
      { ...headers, 'idempotency-key': `fault-contact-${n}` },
      {
        marketplace: o.mk,
        channel: 'chat',
        topic: 'order_status',
        orderId: o.id,
        message: `Fault contact ${n}`,
      },
    );
    if (contact.status !== 200) {
      await sleep(50);
      continue;
    }
    acks.push({ kind: 'contact', id: contact.json.contactId, phase });
    const caseNumber = contact.json.case?.caseNumber as string | undefined;
    if (!caseNumber) continue;
    const text = `Fault reply ${n}`;
    // The case may have gone to another agent: the supervisor replies and refunds, whoever owns it.
    const reply = await call(`/api/v1/cases/${caseNumber}/replies`, worker, { message: text });
    if (reply.status === 200) acks.push({ kind: 'reply', id: text, phase });
    const refund = await call(
      `/api/v1/cases/${caseNumber}/concessions`,
      { ...worker, 'idempotency-key': `fault-refund-${n}` },
      { action: 'returnless_refund', reason: 'defective_or_damaged', lines: [{ lineNo: 1, amount: 100 }] },
    );
    if (refund.status === 200) acks.push({ kind: 'refund', id: refund.json.id, phase });
  }
}

/**
 * One buyer chatting: each message waits for its `ack` (stored). When the socket is cut (the server died,
 * PostgreSQL refused), the buyer reconnects, resumes the conversation and sends the same message again
 * with the same client id: acknowledged once stored, stored once however often it is sent.
 */
async function buyerLoop(buyer: string, token: string, until: () => boolean) {
  let conversationId: string | undefined;
  let lastSeq = 0;
  let n = 0;
  let pending: { id: string; text: string } | null = null;
  while (!until()) {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/v1/chat/socket`, {
      perMessageDeflate: false,
    });
    const frames: ServerFrame[] = [];
    let wake = () => {};
    let closed = false;
    socket.on('message', (d) => {
      const f = JSON.parse(String(d)) as ServerFrame;
      if (f.type === 'message') lastSeq = Math.max(lastSeq, f.seq);
      frames.push(f);
      wake();
    });
    const end = () => {
      closed = true;
      wake();
    };
    socket.on('close', end);
    socket.on('error', end);
    const next = async (want: (f: ServerFrame) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!closed && Date.now() < deadline) {
        const i = frames.findIndex(want);
        if (i >= 0) return frames.splice(i, 1)[0]!;
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
      return null;
    };
    const sendFrame = (f: object) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(f));
    };
    try {
      await new Promise((r) => {
        socket.once('open', r);
        socket.once('close', r);
        socket.once('error', r);
      });
      sendFrame({ type: 'hello', token, ...(conversationId ? { conversationId, lastSeq } : {}) });
      if (!(await next((f) => f.type === 'welcome', 3000))) throw new Error('no welcome');
      if (!conversationId) {
        sendFrame({ type: 'start', marketplace: 'IT', language: 'it' });
        const joined = await next((f) => f.type === 'joined', 3000);
        if (joined?.type !== 'joined') throw new Error('not joined');
        conversationId = joined.conversation.id;
      }
      while (!until()) {
        if (!pending) {
          const k = ++n;
          pending = { id: `fault-chat-${phase}-${buyer}-${k}`, text: `Fault chat ${phase} ${buyer} ${k}` };
        }
        sendFrame({ type: 'message', clientMessageId: pending.id, text: pending.text });
        const answer = await next(
          (f) => (f.type === 'ack' && f.clientMessageId === pending!.id) || f.type === 'error',
          3000,
        );
        if (answer?.type === 'ack') {
          acks.push({ kind: 'chat', id: pending.id, phase });
          pending = null;
          await sleep(20);
        } else {
          if (answer?.type === 'error') await sleep(200);
          break;
        }
      }
    } catch {
      await sleep(100);
    } finally {
      socket.terminate();
    }
  }
}

function startServer(databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'faults-server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(appPort),
      LOG_LEVEL: 'silent',
      LOAD_DEMO: 'false',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      DATA_DIR: join(root, 'var', 'faults'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`the server exited (${code}) before it was ready`)));
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) ok(child);
    });
  });
}

export async function main() {
  const dataDir = join(root, 'var', 'faults');
  await rm(dataDir, { recursive: true, force: true });
  let pg: EmbeddedServer = await startEmbeddedPostgres(join(dataDir, 'pg'), pgPort);
  const check = openDatabase(pg.url, 2);
  const db = check.db;
  let server: ChildProcess | undefined;
  const received = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const id = String(req.headers['onbehalf-delivery']);
    received.set(id, (received.get(id) ?? 0) + 1);
    req.resume();
    res.end('ok');
  });
  try {
    await migrate(pg.url);
    await loadDemo(db);
    await sql`create table fault_probe_fired (ref text not null, fired_at timestamptz not null)`.execute(db);
    const orders = (
      await sql<{ id: string; mk: string }>`
        select o.external_id as id, o.marketplace_id as mk from "order" o
        where o.fulfilment_channel <> 'marketplace' and exists (select 1 from order_line l where l.order_id = o.id and l.line_no = 1)
        order by o.external_id limit 300`.execute(db)
    ).rows;
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    server = await startServer(pg.url);
    const admin = await login('admin@demo.onbehalf.test');
    const hook = await call('/api/v1/admin/webhooks', admin, {
      url: hookUrl,
      eventTypes: ['ledger.posted', 'concession.decided'],
    });
    if (hook.status !== 200 && hook.status !== 201) throw new Error(`webhook subscription: ${hook.status}`);
    const agentEmails = [
      'agent.it@demo.onbehalf.test',
      'agent.de@demo.onbehalf.test',
      'agent.es@demo.onbehalf.test',
      'agent.fr@demo.onbehalf.test',
    ];
    const agents = await Promise.all(agentEmails.map(login));
    const supervisor = await login('supervisor@demo.onbehalf.test');
    const config = loadConfig({ ...process.env, DATABASE_URL: pg.url });
    const buyers = (
      await sql<{ external_id: string }>`
        select distinct b.external_id from buyer b join "order" o on o.buyer_id = b.id
        where o.marketplace_id = 'IT' order by b.external_id limit 3`.execute(db)
    ).rows.map((r) => r.external_id);
    const tokens = await Promise.all(buyers.map((b) => signBuyerToken(config, b, 900)));
    const chats = (until: () => boolean) => buyers.map((b, i) => buyerLoop(b, tokens[i]!, until));

    // Phase 1: kill -9 under load, a timer falling due while the server is dead, restart on the same data.
    let stop = false;
    const loops = () => agents.map((h) => agentLoop(h, supervisor, orders, () => stop));
    let running = [...loops(), ...chats(() => stop)];
    await sleep(4000);
    await scheduleTimer(db, 'fault_probe', 'kill', new Date(Date.now() + 300), { ref: 'kill' });
    server.kill('SIGKILL');
    const killedAt = Date.now();
    await sleep(1500);
    server = await startServer(pg.url);
    const restartMs = Date.now() - killedAt;
    await sleep(3000);
    stop = true;
    await Promise.all(running);

    // Phase 2: PostgreSQL stops under load for 3 s and comes back; the server keeps running.
    phase = 'db';
    stop = false;
    running = [...agents.map((h) => agentLoop(h, supervisor, orders, () => stop)), ...chats(() => stop)];
    await sleep(3000);
    await scheduleTimer(db, 'fault_probe', 'db', new Date(Date.now() + 500), { ref: 'db' });
    await pg.stop();
    const downAt = Date.now();
    await sleep(800);
    const healthDown = await fetch(`${base}/health`).then(
      async (r) => `${r.status} ${(await r.json()).database}`,
    );
    await sleep(2200);
    pg = await startEmbeddedPostgres(join(dataDir, 'pg'), pgPort);
    const upAt = Date.now();
    await sleep(3000);
    const healthUp = await fetch(`${base}/health`).then(
      async (r) => `${r.status} ${(await r.json()).database}`,
    );
    stop = true;
    await Promise.all(running);

    // Deliveries and timers catch up (a loaded machine may take a while: up to 60 s).
    for (let i = 0; i < 300; i++) {
      const pending = await sql<{ n: number }>`
        select (select count(*) from webhook_delivery where status = 'pending')
          + (select count(*) from timer where kind = 'fault_probe' and fired_at is null) as n`
        .execute(db)
        .catch(() => ({ rows: [{ n: 1 }] }));
      if (Number(pending.rows[0]!.n) === 0) break;
      await sleep(200);
    }

    const count = async (kind: Ack['kind'], id: string) => {
      const q =
        kind === 'contact'
          ? sql<{ n: number }>`select count(*)::int as n from contact where id = ${id}::uuid`
          : kind === 'reply'
            ? sql<{ n: number }>`select count(*)::int as n from case_message where body = ${id}`
            : kind === 'chat'
              ? sql<{
                  n: number;
                }>`select count(*)::int as n from chat_message where client_message_id = ${id}`
              : sql<{ n: number }>`select count(*)::int as n from concession where id = ${id}::uuid`;
      return (await q.execute(db)).rows[0]!.n;
    };
    const rows: string[][] = [];
    for (const p of ['kill', 'db']) {
      for (const kind of ['contact', 'reply', 'refund', 'chat'] as const) {
        const mine = acks.filter((a) => a.phase === p && a.kind === kind);
        let found = 0;
        let lost = 0;
        let doubled = 0;
        for (const a of mine) {
          const n = await count(kind, a.id);
          if (n === 0) lost++;
          else found++;
          if (n > 1) doubled++;
        }
        rows.push([
          p === 'kill' ? 'kill -9 server' : 'restart PostgreSQL',
          kind,
          String(mine.length),
          String(found),
          String(lost),
          String(doubled),
        ]);
      }
    }
    // Money: every issued refund has exactly one ledger batch, and no batch lacks its refund.
    const money = (
      await sql<{ issued: number; once: number; twice: number; none: number; orphan: number }>`
        select count(*)::int as issued,
          count(*) filter (where b.n = 1)::int as once,
          count(*) filter (where b.n > 1)::int as twice,
          count(*) filter (where b.n = 0)::int as none,
          (select count(*)::int from ledger_batch lb where lb.decision_kind = 'concession'
             and not exists (select 1 from concession c2 where c2.id::text = lb.decision_id)) as orphan
        from concession c cross join lateral (select count(*)::int as n from ledger_batch lb where lb.decision_id = c.id::text) b
        where c.status = 'issued' and c.idempotency_key like '%fault-refund-%'`.execute(db)
    ).rows[0]!;
    const hooks = (
      await sql<{ id: string; status: string }>`select d.id, d.status from webhook_delivery d`.execute(db)
    ).rows;
    const arrivedOnce = hooks.filter((h) => (received.get(h.id) ?? 0) >= 1).length;
    const arrivals = [...received.values()].reduce((a, b) => a + b, 0);
    const timers = (
      await sql<{ ref: string; fired: boolean; attempts: number; last_error: string | null }>`
        select ref, fired_at is not null as fired, attempts, last_error from timer where kind = 'fault_probe'`.execute(
        db,
      )
    ).rows;
    const probes = (
      await sql<{
        ref: string;
        n: number;
      }>`select ref, count(*)::int as n from fault_probe_fired group by ref order by ref`.execute(db)
    ).rows;

    const table = (head: string[], body: string[][]) => {
      const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
      const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ');
      return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
    };
    const byStatus = (os: Outcome[]) => {
      const m = new Map<string, number>();
      for (const o of os)
        m.set(
          o.status === 0 ? 'no answer' : `${o.status}${o.code ? ` ${o.code}` : ''}`,
          (m.get(o.status === 0 ? 'no answer' : `${o.status}${o.code ? ` ${o.code}` : ''}`) ?? 0) + 1,
        );
      return [...m.entries()]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
    };
    const during = outcomes.db!.filter((o) => o.at >= downAt && o.at < upAt);
    const firstOk = outcomes
      .db!.filter((o) => o.at >= upAt && o.status >= 200 && o.status < 300)
      .sort((a, b) => a.at - b.at)[0];
    console.log(`
Fault injection on loopback: 4 agents (contact → reply → refund each), 3 buyers chatting over WebSocket,
webhooks to a local receiver
${table(['fault', 'acknowledged', 'count', 'found', 'lost', 'doubled'], rows)}

money: ${money.issued} refunds issued; ledger batch once ${money.once}, twice ${money.twice}, missing ${money.none}; batches without their refund ${money.orphan}
webhooks: ${hooks.length} deliveries queued, ${arrivedOnce} arrived at least once (${hooks.filter((h) => h.status === 'delivered').length} marked delivered), ${arrivals - received.size} repeated arrivals (deduplicable by the delivery id)
timers due while down: ${timers.map((t) => `${t.ref} fired ${probes.find((p) => p.ref === t.ref)?.n ?? 0}×${t.fired ? '' : ` (not yet: ${t.attempts} attempts, ${t.last_error ?? 'no error'})`}`).join(', ')}
kill -9: server back in ${restartMs} ms; answers during phase 1 — ${byStatus(outcomes.kill!)}
PostgreSQL down ${upAt - downAt} ms: answers meanwhile — ${byStatus(during)}; slowest ${Math.max(0, ...during.map((o) => o.ms))} ms
  /health while down: ${healthDown}; after: ${healthUp}; first 2xx ${firstOk ? `${firstOk.at - upAt} ms` : 'never'} after PostgreSQL was back (no server restart)
`);
  } finally {
    server?.kill('SIGKILL');
    receiver.close();
    await check.close().catch(() => {});
    await pg.stop();
  }
}

await main();
