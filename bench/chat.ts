// The buyer chat over WebSocket on loopback: N concurrent buyer chats against the real app (buildApp and
// chatAssistant as start.ts wires them, a pool of 10 connections, LISTEN/NOTIFY between the socket and the
// hub), against a baseline in the same run — a plain `ws` echo server that stores each message with one
// INSERT and replies. The server runs in a child process, so that its peak RSS is its own and the load
// generator's sockets are not counted; both sides see the same chats, texts and phases:
//   latency     each chat sends a message every `--interval` seconds (first send spread over one interval);
//               latency runs from the moment a message was due to the bot's first reply (a chat whose
//               previous reply is late sends when it arrives, and the wait counts);
//   throughput  each chat sends its next message as soon as the reply to the last one has come.
// The app's per-address connection limit (CHAT_CONNECTIONS_PER_ADDRESS) and per-connection frame limit
// are raised for the run: every chat comes from 127.0.0.1, and the throughput phase sends faster than
// a person types. BENCH_DATABASE_URL or the embedded bench PostgreSQL, as the other benches.
import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import WebSocket, { WebSocketServer } from 'ws';
import type { ServerFrame } from '../src/contracts/chat';
import { buildApp } from '../src/server/main/app';
import { signBuyerToken } from '../src/server/main/chat-cli';
import { chatAssistant } from '../src/server/modules/assistant';
import { buildBotModel, loadCorpus } from '../src/server/modules/bot';
import { hashPassword, insertUser } from '../src/server/modules/identity';
import { applyRecords, simulate } from '../src/server/modules/marketplace';
import { enrol } from '../src/server/modules/programs';
import { type Config, loadConfig } from '../src/server/platform/config';
import { openDatabase } from '../src/server/platform/db';
import { createLogger } from '../src/server/platform/log';
import { benchServer, fmt } from './bench-database';

const GOALS = { p99Ms: 50, throughputShare: 0.5, peakRssMiB: 400 };
const REPLY_TIMEOUT_MS = 15_000;

/** What a buyer types, in the chat's language: questions the bot answers from the order's data. */
const TEXTS: Record<string, string[]> = {
  it: ['Dov’è il mio pacco?', 'Quando arriva il mio ordine?', 'dove si trova il mio ordine'],
  es: ['¿Dónde está mi pedido?', '¿Cuándo llega mi paquete?', 'dónde está mi paquete'],
  fr: ['Où est mon colis ?', 'Quand vais-je recevoir ma commande ?', 'où en est ma commande'],
  de: ['Wo ist mein Paket?', 'Wann kommt meine Bestellung an?', 'wo ist meine bestellung'],
  en: ['Where is my order?', 'When will my parcel arrive?', 'where is my package'],
  zh: ['Where is my order?'],
};
const MARKET_LANGUAGE: Record<string, string> = { US: 'en', IT: 'it', ES: 'es', FR: 'fr', DE: 'de' };

/** Error frames the app sent, by code. */
const errorCodes = new Map<string, number>();

type ChatSpec = { buyer: string; marketplace: string; language: string };
type ServerMessage =
  | { type: 'ready'; appPort: number; baselinePort: number; rssMiB: number }
  | { type: 'peak'; peakMiB: number; cpuShare: number; heapMiB: number }
  | { type: 'count'; statements: number };

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      chats: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '30' },
      interval: { type: 'string', default: '3' },
      'throughput-seconds': { type: 'string', default: '10' },
    },
  });
  const chats = Number(values.chats);
  const seconds = Number(values.seconds);
  const interval = Number(values.interval);
  const throughputSeconds = Number(values['throughput-seconds']);
  const server = await benchServer();
  const url = await server.fresh('bench_chat');
  const database = openDatabase(url, 10);
  let child: ChildProcess | undefined;
  try {
    const specs = await prepare(database.db, chats);
    await database.close();
    const config = benchConfig(chats);
    const tokens = await Promise.all(specs.map((s) => signBuyerToken(config, s.buyer, 900)));

    child = fork(fileURLToPath(import.meta.url), [], {
      // CHAT_BENCH_PROFILE=DIR writes the server's CPU profile there (open it in Chrome's DevTools).
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.CHAT_BENCH_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CHAT_BENCH_PROFILE}`]
          : []),
      ],
      env: { ...process.env, CHAT_BENCH_SERVE: url, CHAT_BENCH_CHATS: String(chats) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const messages = messagesOf(child);
    const ready = (await messages.next()) as Extract<ServerMessage, { type: 'ready' }>;
    const peak = async () => {
      child!.send('peak');
      return (await messages.next()) as Extract<ServerMessage, { type: 'peak' }>;
    };

    // The baseline: connect, send, receive the stored message's echo.
    await peak();
    const base = await connectAll(specs, (i) => BaselineChat.connect(ready.baselinePort, specs[i]!));
    const baseLatency = await latencyPhase(base.chats, seconds, interval);
    const baseThroughput = await throughputPhase(base.chats, throughputSeconds);
    for (const c of base.chats) c.close();
    const basePeak = await peak();

    // The app: hello with a buyer token, start a conversation, wait for the greeting; then the same.
    await new Promise((r) => setTimeout(r, 1000));
    await peak();
    // CHAT_BENCH_QUERIES=1: the statements the server sent, for the connect and for the two phases.
    const statements = async () => {
      child!.send('count');
      return ((await messages.next()) as Extract<ServerMessage, { type: 'count' }>).statements;
    };
    await statements();
    const app = await connectAll(specs, (i) => AppChat.connect(ready.appPort, specs[i]!, tokens[i]!));
    const connectStatements = await statements();
    const appLatency = await latencyPhase(app.chats, seconds, interval);
    const appThroughput = await throughputPhase(app.chats, throughputSeconds);
    const phaseStatements = await statements();
    for (const c of app.chats) c.close();
    const appPeak = await peak();
    child.send('stop');
    await new Promise((r) => child!.once('exit', r));

    const handOffs = app.chats.reduce((n, c) => n + c.handOffs, 0);
    const errors = app.chats.reduce((n, c) => n + c.errors, 0);
    const lastError = app.chats.find((c) => c.lastError)?.lastError;
    const share = appThroughput.perSecond / baseThroughput.perSecond;
    const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(9);
    const ok = (pass: boolean) => (pass ? 'met' : 'MISSED');
    const row = (
      name: string,
      l: Phase,
      t: Phase,
      server: Extract<ServerMessage, { type: 'peak' }>,
      setup: number,
    ) =>
      `  ${name.padEnd(28)} ${ms(l.p50)} ${ms(l.p99)} ${ms(l.max)}  ${fmt(l.perSecond).padStart(6)} msg/s  ${fmt(t.perSecond).padStart(6)} msg/s  ${String(server.peakMiB).padStart(4)} MiB (heap ${server.heapMiB})  ${String(Math.round(server.cpuShare * 100)).padStart(3)} %  ${(setup / 1000).toFixed(1).padStart(5)} s   ${l.timeouts + t.timeouts}`;
    console.log(`
Chat bench: ${fmt(chats)} concurrent buyer chats over WebSocket on loopback, one message per chat every ${interval} s for ${seconds} s
(offered ${fmt(chats / interval)} msg/s), then ${throughputSeconds} s closed loop (next message on the reply); server in its own
process, pool of 10 connections; CHAT_CONNECTIONS_PER_ADDRESS=${config.chatConnectionsPerAddress}, CHAT_FRAMES_PER_10_SECONDS=${config.chatFramesPer10Seconds}
                                    p50       p99       max    latency phase   closed loop    server peak RSS      CPU*  connect   failed
${row('app: message → bot reply', appLatency, appThroughput, appPeak, app.ms)}
${row('baseline: ws echo + INSERT', baseLatency, baseThroughput, basePeak, base.ms)}
  * the server's CPU time over the whole side (connect + both phases), as a share of one core
  server RSS at rest (bot model built) ${ready.rssMiB} MiB; ${fmt(appLatency.completed + appThroughput.completed)} app replies, ${handOffs} chats handed to a person and restarted, ${errors} error frames${errorCodes.size ? ` (${[...errorCodes].map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}${lastError ? `; last failure: ${lastError}` : ''}
  goals: p99 < ${GOALS.p99Ms} ms at ${fmt(chats)} chats: ${ok(appLatency.p99 < GOALS.p99Ms)} (${ms(appLatency.p99).trim()})
         throughput ≥ ${GOALS.throughputShare * 100} % of the baseline's: ${ok(share >= GOALS.throughputShare)} (${(share * 100).toFixed(1)} %)
         peak RSS < ${GOALS.peakRssMiB} MB: ${ok(appPeak.peakMiB * 1.048576 < GOALS.peakRssMiB)} (${appPeak.peakMiB} MiB = ${Math.round(appPeak.peakMiB * 1.048576)} MB)`);
    if (process.env.CHAT_BENCH_QUERIES)
      console.log(
        `  statements: connect ${fmt(connectStatements)} (${(connectStatements / chats).toFixed(1)} per chat: hello, start, greeting); phases ${fmt(phaseStatements)} (${(phaseStatements / Math.max(1, appLatency.completed + appThroughput.completed)).toFixed(2)} per app reply, restarts included)`,
      );
  } finally {
    if (child && child.exitCode === null) child.kill();
    await server.stop();
  }
}

function benchConfig(chats: number): Config {
  return loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    LOAD_DEMO: 'false',
    CHAT_CONNECTIONS_PER_ADDRESS: String(chats + 100),
    CHAT_FRAMES_PER_10_SECONDS: '1000',
  });
}

/** A simulated marketplace whose sellers are enrolled, agents for any hand-off, and one buyer per chat. */
async function prepare(db: ReturnType<typeof openDatabase>['db'], chats: number): Promise<ChatSpec[]> {
  const orders = Math.max(5000, chats * 4);
  await db.transaction().execute((tx) => applyRecords(tx, [...simulate({ orders, seed: 16 })]));
  await db.transaction().execute(async (tx) => {
    const pairs = await sql<{
      seller_id: string;
      marketplace_id: string;
    }>`select distinct o.seller_id, o.marketplace_id
      from "order" o join seller s on s.id = o.seller_id where s.standing = 'good' and s.account_type = 'professional'`.execute(
      tx,
    );
    for (const p of pairs.rows)
      await enrol(tx, p.seller_id, p.marketplace_id, 'admin', new Date('2026-01-01T00:00:00Z'));
    const hash = await hashPassword('bench-password-123');
    for (let i = 0; i < 50; i++) {
      const { id } = await insertUser(tx, {
        email: `agent${i}@bench.test`,
        display_name: `Agent${i} Bench`,
        password_hash: hash,
        role: 'agent',
        seller_id: null,
        buyer_id: null,
        languages: [],
      });
      await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, premium)
        values (${id}::uuid, '{US,IT,ES,FR,DE}', '{en,it,es,fr,de,zh}', 100, true)`.execute(tx);
    }
  });
  await sql`analyze`.execute(db);
  await sql`create table bench_message (id bigint generated always as identity primary key, body text not null, at timestamptz not null)`.execute(
    db,
  );
  // Buyers with orders, each in the marketplace of their latest order and a language it speaks.
  const buyers = await sql<{
    external_id: string;
    marketplace_id: string;
    language: string;
    languages: string[];
  }>`
    select distinct on (b.id) b.external_id, o.marketplace_id, b.language, m.languages
    from buyer b join "order" o on o.buyer_id = b.id join marketplace m on m.id = o.marketplace_id
    order by b.id, o.ordered_at desc`.execute(db);
  const specs = buyers.rows
    .sort((a, b) => a.external_id.localeCompare(b.external_id))
    .map((b) => ({
      buyer: b.external_id,
      marketplace: b.marketplace_id,
      language: b.languages.includes(b.language) ? b.language : MARKET_LANGUAGE[b.marketplace_id]!,
    }));
  if (specs.length < chats) throw new Error(`only ${specs.length} buyers with orders for ${chats} chats`);
  // Spread over the marketplaces rather than the first ones alphabetically.
  return Array.from({ length: chats }, (_, i) => specs[Math.floor((i * specs.length) / chats)]!);
}

type Chat = {
  /** Sends the next message; resolves with the moment the reply came (null: none in time). */
  ask(): Promise<number | null>;
  close(): void;
};

type Phase = {
  completed: number;
  timeouts: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
};

function summarise(latencies: number[], timeouts: number, seconds: number): Phase {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    completed: latencies.length,
    timeouts,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
  };
}

/** Opens the chats 50 at a time (as buyers arrive, not in one burst). */
async function connectAll<T extends Chat>(specs: ChatSpec[], open: (i: number) => Promise<T>) {
  const started = performance.now();
  const chats: T[] = [];
  for (let i = 0; i < specs.length; i += 50) {
    chats.push(...(await Promise.all(specs.slice(i, i + 50).map((_, j) => open(i + j)))));
  }
  return { chats, ms: performance.now() - started };
}

async function latencyPhase(chats: Chat[], seconds: number, interval: number): Promise<Phase> {
  const latencies: number[] = [];
  let timeouts = 0;
  const start = performance.now() + 200;
  const end = start + seconds * 1000;
  await Promise.all(
    chats.map(async (chat, i) => {
      // Spread evenly over one interval, so the offered load is steady from the first second.
      let due = start + (i / chats.length) * interval * 1000;
      while (due < end) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const repliedAt = await chat.ask();
        if (repliedAt === null) timeouts++;
        else latencies.push(repliedAt - due);
        due += interval * 1000;
      }
    }),
  );
  return summarise(latencies, timeouts, (performance.now() - start) / 1000);
}

async function throughputPhase(chats: Chat[], seconds: number): Promise<Phase> {
  const latencies: number[] = [];
  let timeouts = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    chats.map(async (chat) => {
      while (performance.now() < end) {
        const sent = performance.now();
        const repliedAt = await chat.ask();
        if (repliedAt === null) timeouts++;
        else if (repliedAt <= end) latencies.push(repliedAt - sent);
      }
    }),
  );
  return summarise(latencies, timeouts, seconds);
}

/** Frames of one socket, to be awaited. */
class Inbox {
  private waiters: ((f: ServerFrame | null) => void)[] = [];
  constructor(socket: WebSocket, onFrame: (f: ServerFrame) => void) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      onFrame(frame);
      for (const w of this.waiters.splice(0)) w(frame);
    });
    socket.on('close', () => {
      for (const w of this.waiters.splice(0)) w(null);
    });
  }
  /** Resolves when `done` says so of a frame, or with false after `ms`. */
  until(done: (f: ServerFrame) => boolean, ms = REPLY_TIMEOUT_MS): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(false);
      }, ms);
      const check = (f: ServerFrame | null) => {
        if (f === null) {
          clearTimeout(timer);
          return resolve(false);
        }
        if (done(f)) {
          clearTimeout(timer);
          return resolve(true);
        }
        this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }
}

function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
  });
}

/** A buyer in the real chat: types a question, presses the order button when the bot offers one. */
class AppChat implements Chat {
  private n = 0;
  private buttons: { id: string }[] = [];
  private lastSeq = 0;
  private ackSeq: number | null = null;
  private pendingId: string | null = null;
  handOffs = 0;
  private withPerson = false;
  private lost = false;
  errors = 0;
  lastError: string | null = null;

  private constructor(
    private socket: WebSocket,
    private inbox: Inbox,
    private spec: ChatSpec,
  ) {}

  static async connect(port: number, spec: ChatSpec, token: string): Promise<AppChat> {
    const socket = await openSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`);
    let chat: AppChat | undefined;
    const inbox = new Inbox(socket, (f) => chat?.seen(f));
    chat = new AppChat(socket, inbox, spec);
    socket.send(JSON.stringify({ type: 'hello', token }));
    if (!(await inbox.until((f) => f.type === 'welcome' || f.type === 'error')))
      throw new Error(`no welcome for ${spec.buyer}`);
    if (!(await chat.start())) throw new Error(`no greeting for ${spec.buyer}`);
    return chat;
  }

  private seen(f: ServerFrame) {
    if (f.type === 'error') {
      this.lastError = `${f.code}: ${f.message}`;
      errorCodes.set(f.code, (errorCodes.get(f.code) ?? 0) + 1);
    }
    if (f.type === 'ack' && f.clientMessageId === this.pendingId) this.ackSeq = f.seq;
    if (f.type !== 'message') return;
    this.lastSeq = Math.max(this.lastSeq, f.seq);
    // What is on offer is the latest message with buttons, the bot's or a notice's (e-mail or a callback
    // when no agent is free), as the server reads it.
    if ((f.from === 'bot' || f.from === 'system') && f.buttons) this.buttons = f.buttons;
    else if (f.from === 'bot') this.buttons = [];
    // A person took over (the bot hands a lost or late parcel to one): from now on the bot is silent.
    if (f.from === 'system' && f.caseNumber) this.withPerson = true;
  }

  /** A new conversation; its greeting is the reply awaited (false: none in time). */
  private async start(): Promise<boolean> {
    this.socket.send(
      JSON.stringify({ type: 'start', marketplace: this.spec.marketplace, language: this.spec.language }),
    );
    return this.inbox.until((f) => f.type === 'message' && f.from === 'bot');
  }

  async ask(): Promise<number | null> {
    if (this.withPerson || this.lost) {
      // With a person the bot stays silent: this buyer starts a new conversation (not timed).
      if (this.withPerson) this.handOffs++;
      this.withPerson = false;
      this.lost = false;
      this.buttons = [];
      if (!(await this.start())) {
        this.lost = true;
        this.lastError = `no greeting within ${REPLY_TIMEOUT_MS / 1000} s for ${this.spec.buyer}`;
        return null;
      }
    }
    const clientMessageId = `m${++this.n}`;
    this.pendingId = clientMessageId;
    this.ackSeq = null;
    const order = this.buttons.find((b) => b.id.startsWith('order:'));
    const texts = TEXTS[this.spec.language] ?? TEXTS.en!;
    this.socket.send(
      JSON.stringify(
        order
          ? { type: 'button', buttonId: order.id, clientMessageId }
          : { type: 'message', text: texts[this.n % texts.length], clientMessageId },
      ),
    );
    let failed = false;
    const replied = await this.inbox.until((f) => {
      if (f.type === 'error') {
        failed = true;
        return true;
      }
      if (f.type !== 'message' || this.ackSeq === null || f.seq <= this.ackSeq) return false;
      return f.from === 'bot' || f.from === 'system';
    });
    const at = performance.now();
    // A refused frame is not sent again as it was (a button refused, pressed again, spins the chat).
    if (failed) {
      this.errors++;
      this.buttons = [];
    }
    // Lost track of this conversation (no reply in time): start afresh.
    if (!replied) {
      this.lost = true;
      this.lastError = `no reply within ${REPLY_TIMEOUT_MS / 1000} s from ${this.spec.buyer} (ack ${this.ackSeq === null ? 'not received' : `seq ${this.ackSeq}`}, last seq seen ${this.lastSeq})`;
    }
    return replied && !failed ? at : null;
  }

  close() {
    this.socket.close();
  }
}

/** The same buyer against the echo: each message stored with one INSERT and sent back. */
class BaselineChat implements Chat {
  private n = 0;
  private constructor(
    private socket: WebSocket,
    private inbox: Inbox,
    private spec: ChatSpec,
  ) {}

  static async connect(port: number, spec: ChatSpec): Promise<BaselineChat> {
    const socket = await openSocket(`ws://127.0.0.1:${port}/`);
    return new BaselineChat(socket, new Inbox(socket, () => {}), spec);
  }

  async ask(): Promise<number | null> {
    const clientMessageId = `m${++this.n}`;
    const texts = TEXTS[this.spec.language] ?? TEXTS.en!;
    this.socket.send(
      JSON.stringify({ type: 'message', text: texts[this.n % texts.length], clientMessageId }),
    );
    const replied = await this.inbox.until((f) => f.type === 'ack' && f.clientMessageId === clientMessageId);
    return replied ? performance.now() : null;
  }

  close() {
    this.socket.close();
  }
}

function messagesOf(child: ChildProcess) {
  const queue: ServerMessage[] = [];
  const waiters: ((m: ServerMessage) => void)[] = [];
  child.on('message', (m: ServerMessage) => {
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  child.once('exit', (code) => {
    if (code)
      for (const w of waiters.splice(0)) w({ type: 'peak', peakMiB: Number.NaN, cpuShare: 0, heapMiB: 0 });
  });
  return {
    next: () =>
      new Promise<ServerMessage>((resolve) => {
        const m = queue.shift();
        if (m) resolve(m);
        else waiters.push(resolve);
      }),
  };
}

/**
 * The child: the app and the echo baseline on one database, reporting its peak RSS when asked. For
 * finding where the time goes: CHAT_BENCH_POOL (default 10, as start.ts) and
 * CHAT_BENCH_SYNCHRONOUS_COMMIT=off (commits stop waiting for the WAL flush) change both sides alike.
 */
async function serve(benchUrl: string, chats: number) {
  const url =
    process.env.CHAT_BENCH_SYNCHRONOUS_COMMIT === 'off'
      ? `${benchUrl}${benchUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c synchronous_commit=off')}`
      : benchUrl;
  if (process.env.CHAT_BENCH_QUERIES) countQueries();
  const database = openDatabase(url, Number(process.env.CHAT_BENCH_POOL ?? 10));
  const db = database.db;
  const bot = buildBotModel(loadCorpus());
  const app = await buildApp(benchConfig(chats), db, createLogger('silent'), {
    databaseUrl: url,
    bot: chatAssistant(bot),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseline = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  baseline.on('connection', (socket) => {
    socket.on('message', async (data) => {
      const frame = JSON.parse(data.toString()) as { text: string; clientMessageId: string };
      const row = await sql<{ id: string }>`insert into bench_message (body, at) values (${frame.text}, now())
        returning id`.execute(db);
      socket.send(
        JSON.stringify({
          type: 'ack',
          conversationId: '00000000-0000-0000-0000-000000000000',
          clientMessageId: frame.clientMessageId,
          seq: Number(row.rows[0]!.id),
        }),
      );
    });
  });
  await new Promise((r) => baseline.once('listening', r));
  // Peak RSS (and the V8 heap at that moment) and CPU time since the last report.
  let peak = 0;
  let heapAtPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peak) {
      peak = m.rss;
      heapAtPeak = m.heapTotal;
    }
  };
  sample();
  const sampler = setInterval(sample, 50);
  let cpu = process.cpuUsage();
  let since = performance.now();
  const mib = (b: number) => Math.round(b / 1048576);
  process.on('message', async (m) => {
    if (m === 'count') {
      process.send!({ type: 'count', statements });
      statements = 0;
    } else if (m === 'peak') {
      sample();
      const used = process.cpuUsage(cpu);
      const elapsedMs = performance.now() - since;
      process.send!({
        type: 'peak',
        peakMiB: mib(peak),
        heapMiB: mib(heapAtPeak),
        cpuShare: (used.user + used.system) / 1000 / elapsedMs,
      });
      peak = 0;
      sample();
      cpu = process.cpuUsage();
      since = performance.now();
    } else if (m === 'stop') {
      if (process.env.CHAT_BENCH_QUERIES) printQueries();
      clearInterval(sampler);
      baseline.close();
      await app.close();
      await database.close();
      process.exit(0);
    }
  });
  process.send!({
    type: 'ready',
    appPort: (app.server.address() as AddressInfo).port,
    baselinePort: (baseline.address() as AddressInfo).port,
    rssMiB: mib(process.memoryUsage.rss()),
  });
}

/**
 * CHAT_BENCH_QUERIES=1: the server counts its statements and their time on the connection (the text's
 * first words as the key), printed at the end: where the database time of a message goes.
 */
const queries = new Map<string, { n: number; ms: number }>();
let statements = 0;
function countQueries() {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string };
    const text = (typeof config === 'string' ? config : (config?.text ?? ''))
      .replace(/\s+/g, ' ')
      .slice(0, 90);
    const started = performance.now();
    statements++;
    const result = original.apply(this, args);
    const done = () => {
      const q = queries.get(text) ?? { n: 0, ms: 0 };
      q.n++;
      q.ms += performance.now() - started;
      queries.set(text, q);
    };
    if (result instanceof Promise) result.then(done, done);
    return result;
  } as typeof pg.Client.prototype.query;
}
function printQueries() {
  const top = [...queries].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
  for (const [text, q] of top)
    console.log(
      `${String(q.n).padStart(7)} ${q.ms.toFixed(0).padStart(8)} ms ${(q.ms / q.n).toFixed(2).padStart(7)} ms  ${text}`,
    );
}

if (process.env.CHAT_BENCH_SERVE)
  await serve(process.env.CHAT_BENCH_SERVE, Number(process.env.CHAT_BENCH_CHATS));
