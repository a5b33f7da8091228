// Issue 19.4, floods: one address (127.0.0.2) sends logins, chat connections, socket frames and API calls
// far past any limit, while other buyers (127.0.0.1) chat and an agent works. Prints, per flood, how
// the flooder was answered and the victims' latency against a quiet baseline. Loopback only, bounded.
//   npm run bench -- flood [--seconds 4]
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { buildApp } from '../src/server/main/app';
import { hashPassword, insertUser } from '../src/server/modules/identity';
import { applyRecords } from '../src/server/modules/marketplace';
import { demoMarketplaces } from '../src/server/modules/marketplace/demo-marketplaces';
import { loadConfig } from '../src/server/platform/config';
import { openDatabase } from '../src/server/platform/db';
import { createLogger } from '../src/server/platform/log';
import { benchServer } from './bench-database';

/** Each flood comes from an address of its own (127.0.0.2, .3, …), so one's limits do not carry into the next. */
let FLOODER = '127.0.0.2';
const VICTIM = '127.0.0.1';

type Answer = { status: number; retryAfter: string | undefined; ms: number };
const agent = (localAddress: string) => new http.Agent({ keepAlive: true, maxSockets: 64, localAddress });
const agents: Record<string, http.Agent> = {};
const agentOf = (address: string) => {
  agents[address] ??= agent(address);
  return agents[address];
};

function request(
  port: number,
  from: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: agentOf(from),
        headers: {
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function openSocket(port: number, from: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`, { headers, localAddress: from });
  const frames: { type: string; code?: string; seq?: number; clientMessageId?: string }[] = [];
  socket.on('message', (d) => frames.push(JSON.parse(d.toString())));
  socket.on('error', () => {});
  const opened = new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('unexpected-response', () => resolve(false));
    socket.once('error', () => resolve(false));
  });
  return { socket, frames, opened };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};
const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} ms` : '—');

export async function run(args: string[]) {
  const seconds = Number(args[args.indexOf('--seconds') + 1] || 4);
  const server = await benchServer();
  const url = await server.fresh('onbehalf_bench_flood');
  const database = openDatabase(url);
  // A low sign-in limit, so that a few seconds of flood pass it: every allowed attempt hashes a password.
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    LOAD_DEMO: 'false',
    DATABASE_URL: url,
    LOGIN_RATE_LIMIT_PER_MINUTE: '2',
  });
  const app = await buildApp(config, database.db, createLogger('silent'), { databaseUrl: url });
  await app.listen({ host: '0.0.0.0', port: 0 });
  const port = (app.server.address() as AddressInfo).port;

  // A marketplace, one seller, victim buyers, and an agent.
  const buyers = Array.from({ length: 8 }, (_, i) => `B-V${i}`);
  await database.db.transaction().execute((tx) =>
    applyRecords(tx, [
      ...demoMarketplaces([2026]),
      {
        type: 'seller',
        externalId: 'S-F',
        name: 'Seller F',
        homeCountry: 'IT',
        defaultEmail: 's-f@sellers.example',
        languages: ['it'],
        standing: 'good',
      },
      ...buyers.map((b) => ({
        type: 'buyer',
        externalId: b,
        name: b,
        email: `${b}@buyers.example`,
        language: 'it',
      })),
    ]),
  );
  const password = 'flood bench password';
  const hash = await hashPassword(password);
  for (const [email, role] of [
    ['agent@flood.example', 'agent'],
    ['victim@flood.example', 'agent'],
  ] as const)
    await insertUser(database.db, {
      email,
      display_name: email,
      password_hash: hash,
      role,
      seller_id: null,
      buyer_id: null,
      languages: ['it'],
    });
  const login = await request(
    port,
    VICTIM,
    'POST',
    '/api/v1/auth/login',
    {},
    { email: 'agent@flood.example', password },
  );
  if (login.status !== 200) throw new Error(`agent login: ${login.status}`);
  const agentCookie = await new Promise<string>((resolve) => {
    const body = JSON.stringify({ email: 'agent@flood.example', password });
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/auth/login',
        method: 'POST',
        agent: agentOf(VICTIM),
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        resolve(String(res.headers['set-cookie']?.[0]?.split(';')[0]));
      },
    );
    req.end(body);
  });
  const token = async (buyer: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(buyer)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(config.buyerTokenSecret));

  // Victims: each buyer chats (message → ack) in a closed loop; the agent lists its cases.
  const victimSockets = await Promise.all(
    buyers.map(async (b) => {
      const s = openSocket(port, VICTIM);
      await s.opened;
      s.socket.send(JSON.stringify({ type: 'hello', token: await token(b) }));
      s.socket.send(JSON.stringify({ type: 'start', marketplace: 'IT', language: 'it' }));
      await new Promise((r) => setTimeout(r, 300));
      return s;
    }),
  );
  async function victims(untilMs: number) {
    const chat: number[] = [];
    const agentCalls: number[] = [];
    let chatFailures = 0;
    let agentFailures = 0;
    const chatLoop = async (s: (typeof victimSockets)[number], i: number) => {
      let n = 0;
      while (Date.now() < untilMs) {
        const id = `v${i}-${n++}-${Math.random()}`;
        const started = performance.now();
        const from = s.frames.length;
        s.socket.send(JSON.stringify({ type: 'message', clientMessageId: id, text: 'Dov’è il mio pacco?' }));
        for (;;) {
          const got = s.frames
            .slice(from)
            .find((f) => (f.type === 'ack' && f.clientMessageId === id) || f.type === 'error');
          if (got) {
            if (got.type === 'ack') chat.push(performance.now() - started);
            else chatFailures++;
            break;
          }
          if (performance.now() - started > 5000) {
            chatFailures++;
            break;
          }
          await new Promise((r) => setTimeout(r, 2));
        }
        await new Promise((r) => setTimeout(r, 400)); // a person types; well under the frame limit
      }
    };
    const agentLoop = async () => {
      while (Date.now() < untilMs) {
        const a = await request(port, VICTIM, 'GET', '/api/v1/agent/cases', { cookie: agentCookie });
        if (a.status === 200) agentCalls.push(a.ms);
        else agentFailures++;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await Promise.all([...victimSockets.map(chatLoop), agentLoop()]);
    return { chat, agentCalls, chatFailures, agentFailures };
  }

  type Flood = {
    name: string;
    flood: (untilMs: number) => Promise<{ sent: number; slowed: number; how: string }>;
  };
  const closedLoop = async (untilMs: number, concurrency: number, one: (i: number) => Promise<boolean>) => {
    let sent = 0;
    let slowed = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < untilMs) {
          const i = sent++;
          if (await one(i)) slowed++;
        }
      }),
    );
    return { sent, slowed };
  };
  let retryAfterSeen = new Set<string>();
  const floods: Flood[] = [
    { name: 'quiet (baseline)', flood: async () => ({ sent: 0, slowed: 0, how: '—' }) },
    {
      name: 'logins, one account',
      flood: async (until) => {
        retryAfterSeen = new Set();
        const r = await closedLoop(until, 8, async () => {
          const a = await request(
            port,
            FLOODER,
            'POST',
            '/api/v1/auth/login',
            {},
            { email: 'victim@flood.example', password: 'guess' },
          );
          if (a.status === 429) retryAfterSeen.add(a.retryAfter ?? 'none');
          return a.status === 429;
        });
        return { ...r, how: `429, Retry-After ${[...retryAfterSeen].join('/')}` };
      },
    },
    {
      name: 'logins, a new account each',
      flood: async (until) => {
        const r = await closedLoop(until, 8, async (i) => {
          const a = await request(
            port,
            FLOODER,
            'POST',
            '/api/v1/auth/login',
            {},
            { email: `spray${i}@flood.example`, password: 'guess' },
          );
          return a.status === 429;
        });
        return { ...r, how: '429' };
      },
    },
    {
      name: 'API calls (anonymous)',
      flood: async (until) => {
        const r = await closedLoop(
          until,
          16,
          async () => (await request(port, FLOODER, 'GET', '/api/v1/orders', {})).status === 429,
        );
        return { ...r, how: '429' };
      },
    },
    {
      name: 'socket frames, one socket',
      flood: async (until) => {
        const s = openSocket(port, FLOODER);
        await s.opened;
        s.socket.send(JSON.stringify({ type: 'hello', token: await token('B-V0') }));
        let sent = 0;
        while (Date.now() < until) {
          for (let i = 0; i < 50; i++) s.socket.send(JSON.stringify({ type: 'ping' }));
          sent += 50;
          await new Promise((r) => setTimeout(r, 5));
        }
        await new Promise((r) => setTimeout(r, 200));
        const slowed = s.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').length;
        s.socket.close();
        return { sent, slowed, how: 'error rate_limited' };
      },
    },
    {
      name: 'chat connections',
      flood: async (until) => {
        const open: ReturnType<typeof openSocket>[] = [];
        let refused = 0;
        while (Date.now() < until && open.length < 200) {
          const s = openSocket(port, FLOODER);
          await s.opened;
          await new Promise((r) => setTimeout(r, 10));
          if (s.frames.some((f) => f.code === 'rate_limited')) refused++;
          open.push(s);
        }
        for (const s of open) s.socket.close();
        return { sent: open.length, slowed: refused, how: 'error rate_limited, closed' };
      },
    },
    {
      name: 'new chats, one socket',
      flood: async (until) => {
        const s = openSocket(port, FLOODER);
        await s.opened;
        s.socket.send(JSON.stringify({ type: 'hello', token: await token('B-V1') }));
        let sent = 0;
        while (Date.now() < until) {
          s.socket.send(JSON.stringify({ type: 'start', marketplace: 'IT', language: 'it' }));
          sent++;
          await new Promise((r) => setTimeout(r, 20));
        }
        await new Promise((r) => setTimeout(r, 200));
        const slowed = s.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited').length;
        s.socket.close();
        return { sent, slowed, how: 'error rate_limited' };
      },
    },
  ];

  const rows: string[][] = [];
  for (const [i, f] of floods.entries()) {
    FLOODER = `127.0.0.${i + 2}`;
    const until = Date.now() + seconds * 1000;
    const [flooded, v] = await Promise.all([f.flood(until), victims(until)]);
    rows.push([
      f.name,
      String(flooded.sent),
      flooded.sent ? `${flooded.slowed} (${f.name.startsWith('quiet') ? '' : flooded.how})` : '—',
      `${ms(quantile(v.chat, 0.5))} / ${ms(quantile(v.chat, 0.99))}`,
      String(v.chatFailures),
      `${ms(quantile(v.agentCalls, 0.5))} / ${ms(quantile(v.agentCalls, 0.99))}`,
      String(v.agentFailures),
    ]);
  }
  const header = [
    'flood (its own address)',
    'sent',
    'slowed',
    'buyers’ chat p50 / p99',
    'chat failed',
    'agent p50 / p99',
    'agent failed',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(
    `\nfloods of ${seconds} s each, each from an address of its own; ${buyers.length} buyers chat and an agent works from 127.0.0.1 meanwhile\n` +
      `limits: ${config.loginRateLimitPerMinute} sign-ins a minute per account and address, ${config.loginRateLimitPerMinute * 10} per address; ` +
      `${config.chatFramesPer10Seconds} frames per 10 s per socket; ${config.chatConnectionsPerAddress} sockets per address\n`,
  );
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  for (const s of victimSockets) s.socket.close();
  await app.close();
  await database.close();
  await server.stop();
}
