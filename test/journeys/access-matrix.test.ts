// Issue 19.1: every HTTP route and every chat frame × every kind of caller, against a seeded world
// where two sellers and two buyers own real resources. The expected outcomes are written down
// (access-matrix.data.ts, and the socket table below), not derived from the routes' own declarations,
// so a route that opens by mistake fails here. A route without an entry fails too.
import { describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../../src/contracts/chat';
import {
  type AccessWorld,
  accessWorld,
  csBuyerTexts,
  type PrincipalName,
  principals,
} from '../helpers/access-world';
import { TEST_PASSWORD } from '../helpers/app';
import { changedTables, tableDigests } from '../helpers/db-state';
import { SocketProbe } from '../helpers/socket-probe';
import { accessMatrix, type Cell, type MatrixRequest, relativeTimes } from './access-matrix.data';

// The route table, as Fastify registers it on the real app (onRoute sees every route, its config too).
const routeTable = vi.hoisted(() => [] as { method: string; url: string; access: unknown }[]);
vi.mock('../../src/server/platform/http/server', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/server/platform/http/server')>();
  return {
    ...original,
    createHttpServer: async (options: Parameters<typeof original.createHttpServer>[0]) => {
      const app = await original.createHttpServer(options);
      app.addHook('onRoute', (route) => {
        for (const method of [route.method].flat())
          if (routeTable.length < 10_000)
            routeTable.push({
              method: String(method),
              url: route.url,
              access: (route.config as { access?: unknown } | undefined)?.access,
            });
      });
      return app;
    },
  };
});

const world: AccessWorld = await accessWorld();
const { t, clients, refs } = world;
const loginEmail = world.loginEmail;

/** Alpha's identifying texts: another buyer or seller must never get one back. */
const alphaData = [
  'O-ALPHA',
  'B-ALPHA',
  'b-alpha@buyers.example',
  'alpha@sellers.example',
  refs.caseNumber,
  refs.returnCase,
  refs.settledCase,
  refs.conversationId,
  refs.returnRef,
  refs.concessionId,
  refs.claimId,
  refs.evidenceId,
  refs.threadId,
  refs.caseLogId,
  refs.notificationId,
];
const csTexts = Object.values(csBuyerTexts);

const names: Record<string, () => string> = {
  ...relativeTimes,
  ...Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, () => v])),
  loginEmail: () => loginEmail,
  loginPassword: () => TEST_PASSWORD,
};
function fill<T>(value: T): T {
  if (typeof value === 'string')
    return value.replace(/\{(\w+)\}/g, (whole, name: string) => names[name]?.() ?? whole) as T;
  if (Array.isArray(value)) return value.map(fill) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)])) as T;
  return value;
}

const cellsOf = (row: string) => row.trim().split(/\s+/) as Cell[];
const isReadOnly = (key: string) => key.startsWith('GET ') || key.startsWith('HEAD ');
const denied = new Set<Cell>(['-', 'x', 'n']);

function outcomeMatches(cell: Cell, status: number): boolean {
  switch (cell) {
    case 'A':
    case 'e':
      return status >= 200 && status < 300;
    case 'v':
      return status < 500 && ![401, 403, 404].includes(status);
    case '-':
      return status === 401;
    case 'x':
      return status === 403;
    case 'n':
      return status === 404;
  }
}

/** What an unlisted route should probably get, from its declared access, for the failure message. */
function suggestedRow(access: unknown): string {
  const a = access as 'public' | { roles?: string[]; scopes?: string[] } | undefined;
  const roleOf: Record<PrincipalName, string | null> = {
    anonymous: null,
    buyer: 'buyer',
    otherBuyer: 'buyer',
    seller: 'seller',
    otherSeller: 'seller',
    agent: 'agent',
    supervisor: 'supervisor',
    reviewer: 'claims_reviewer',
    admin: 'admin',
    integrationKey: 'integration:write',
    telephonyKey: 'telephony',
  };
  return principals
    .map((p) => {
      if (a === 'public') return 'v';
      if (p === 'anonymous') return '-';
      const r = roleOf[p]!;
      const allowed =
        p === 'integrationKey'
          ? (a?.scopes ?? []).some((s) => s.startsWith('integration:'))
          : p === 'telephonyKey'
            ? (a?.scopes ?? []).includes('telephony')
            : (a?.roles ?? []).includes(r);
      return allowed ? 'v' : 'x';
    })
    .join('  ');
}

async function call(key: string, request: MatrixRequest, principal: PrincipalName) {
  const method = key.split(' ')[0] as 'GET' | 'POST' | 'PUT' | 'DELETE';
  const headers: Record<string, string> = { ...clients[principal].headers };
  if (!isReadOnly(key)) headers['idempotency-key'] = `matrix:${key}:${principal}`;
  const url = fill(request.url);
  if (request.raw) {
    headers['content-type'] = request.raw.contentType;
    return t.app.inject({ method, url, headers, payload: request.raw.payload });
  }
  const body =
    request.body === undefined
      ? method === 'GET' || method === 'DELETE'
        ? undefined
        : {}
      : fill(request.body);
  return t.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
}

// ---- sockets first: the HTTP rows below resolve and reassign the chat's case -------------------

type SocketName =
  | 'anonymous'
  | 'buyer'
  | 'otherBuyer'
  | 'seller'
  | 'agent'
  | 'supervisor'
  | 'reviewer'
  | 'admin'
  | 'integrationKey'
  | 'telephonyKey';
const socketColumns: SocketName[] = [
  'anonymous',
  'buyer',
  'otherBuyer',
  'seller',
  'agent',
  'supervisor',
  'reviewer',
  'admin',
  'integrationKey',
  'telephonyKey',
];

/**
 * Every client frame × every caller of the chat socket. A cell is the frame the caller must get back
 * (`ack`, `pong`, `joined`, `welcome`, `rated`), `.` (nothing refused), or the error code the socket
 * answers with; a trailing `!` means the socket then closes (a seller is refused at the upgrade).
 * Each cell is a fresh socket: hello (buyers with their token, resuming alpha's chat; a supervisor
 * watching it; another buyer without it), then the frame. Rows run in order: take_over is last.
 */
// biome-ignore format: a table is read by its columns
const socketMatrix: Record<string, [string, (conversationId: string) => unknown]> = {
  //               an                by                b2          se          ag          su          rv          ad          ik          tk
  hello:     ['unauthenticated!  welcome           not_found   forbidden!  welcome     welcome     forbidden!  forbidden!  forbidden!  forbidden!', (c) => ({ type: 'hello', conversationId: c })],
  ping:      ['pong              pong              pong        forbidden!  pong        pong        forbidden!  forbidden!  forbidden!  forbidden!', () => ({ type: 'ping' })],
  start:     ['unauthenticated!  joined            not_found   forbidden!  forbidden   forbidden   forbidden!  forbidden!  forbidden!  forbidden!', () => ({ type: 'start', marketplace: 'IT', language: 'it', orderId: 'O-ALPHA' })],
  message:   ['unauthenticated!  ack               not_found   forbidden!  ack         forbidden   forbidden!  forbidden!  forbidden!  forbidden!', (c) => ({ type: 'message', clientMessageId: `m-${Math.random()}`, text: 'Matrix socket message', conversationId: c })],
  button:    ['unauthenticated!  validation_failed not_found   forbidden!  forbidden   forbidden   forbidden!  forbidden!  forbidden!  forbidden!', (c) => ({ type: 'button', clientMessageId: `b-${Math.random()}`, buttonId: 'no-such-button', conversationId: c })],
  typing:    ['unauthenticated!  .                 not_found   forbidden!  .           forbidden   forbidden!  forbidden!  forbidden!  forbidden!', (c) => ({ type: 'typing', conversationId: c })],
  handoff:   ['unauthenticated!  .                 not_found   forbidden!  forbidden   forbidden   forbidden!  forbidden!  forbidden!  forbidden!', (c) => ({ type: 'handoff', conversationId: c })],
  rate:      ['unauthenticated!  rated             not_found   forbidden!  forbidden   forbidden   forbidden!  forbidden!  forbidden!  forbidden!', (c) => ({ type: 'rate', conversationId: c, stars: 4, solved: true, subject: 'agent' })],
  take_over: ['unauthenticated!  forbidden         forbidden   forbidden!  forbidden   joined      forbidden!  forbidden!  forbidden!  forbidden!', (c) => ({ type: 'take_over', conversationId: c })],
};

async function socketCell(principal: SocketName, frameOf: (c: string) => unknown, row: string) {
  const headers = { ...clients[principal].headers };
  const isBuyer = principal === 'buyer' || principal === 'otherBuyer';
  const token = isBuyer ? headers.authorization!.slice('Bearer '.length) : undefined;
  if (isBuyer) delete headers.authorization; // browsers send the token in hello, never at the upgrade
  delete headers['x-csrf-token'];
  const probe = await SocketProbe.open(world.live.port, headers);
  if (probe.refusedStatus) return { outcome: `http_${probe.refusedStatus}`, frames: [] as ServerFrame[] };
  try {
    const conversationId = refs.conversationId;
    if (row !== 'hello' && row !== 'ping') {
      const hello = {
        type: 'hello',
        ...(token ? { token } : {}),
        ...(principal === 'buyer' || principal === 'supervisor' ? { conversationId } : {}),
      };
      const mark = probe.frames.length;
      probe.send(hello);
      await probe.until(mark, (f) => f.some((x) => x.type === 'welcome' || x.type === 'error'), 3000);
      await probe.until(probe.frames.length, () => false, 150); // joined and catch-up frames
    } else if (row === 'hello' && token) {
      const mark = probe.frames.length;
      probe.send({ ...(frameOf(conversationId) as object), token });
      return { outcome: await outcomeOf(probe, mark, 'welcome'), frames: probe.frames };
    }
    const mark = probe.frames.length;
    await new Promise((r) => setTimeout(r, 50));
    const expectedReply = socketMatrix[row]![0].trim().split(/\s+/)[socketColumns.indexOf(principal)]!;
    probe.send(frameOf(conversationId));
    return { outcome: await outcomeOf(probe, mark, expectedReply), frames: probe.frames };
  } finally {
    probe.close();
  }
}

async function outcomeOf(probe: SocketProbe, mark: number, expected: string): Promise<string> {
  const want = expected.replace(/!$/, '');
  const done = (f: ServerFrame[]) =>
    f.some((x) => x.type === 'error') || (want !== '.' && f.some((x) => x.type === want));
  const seen = await probe.until(mark, done, want === '.' ? 400 : 3000);
  await probe.until(probe.frames.length, () => false, 30); // a close that follows the error frame
  // A socket refused at the upgrade's authentication answered before any frame was sent.
  const error =
    seen.find((x) => x.type === 'error') ??
    (probe.closed ? probe.frames.find((x) => x.type === 'error') : undefined);
  const outcome =
    error?.type === 'error' ? error.code : want !== '.' && seen.some((x) => x.type === want) ? want : '.';
  return probe.closed ? `${outcome}!` : outcome;
}

describe('access matrix: the chat socket', () => {
  for (const [row, [cells, frameOf]] of Object.entries(socketMatrix)) {
    it(`${row} × every caller`, async () => {
      const expected = cells.trim().split(/\s+/);
      expect(expected, `socket row ${row} needs ${socketColumns.length} cells`).toHaveLength(
        socketColumns.length,
      );
      const wrong: string[] = [];
      for (const [i, principal] of socketColumns.entries()) {
        const { outcome, frames } = await socketCell(principal, frameOf, row);
        if (outcome !== expected[i])
          wrong.push(
            `${principal}: expected ${expected[i]}, got ${outcome} ${JSON.stringify(frames).slice(0, 400)}`,
          );
        // K5 and scoping over the socket: nobody but alpha's buyer and the staff sees alpha's chat.
        if (principal !== 'buyer' && principal !== 'agent' && principal !== 'supervisor')
          for (const text of [csBuyerTexts.chatMessage, csBuyerTexts.chatReply])
            expect(JSON.stringify(frames), `${principal} got alpha's chat over the socket`).not.toContain(
              text,
            );
      }
      expect(wrong, `socket frame ${row}`).toEqual([]);
    });
  }
});

// ---- HTTP ----------------------------------------------------------------------------------------

describe('access matrix: HTTP', () => {
  it('has an entry for every route, and no entry without a route', () => {
    // Both instances of the world (inject and listening) register the same routes: one row each.
    const routes = [
      ...new Map(
        routeTable
          .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
          .map((r) => [`${r.method} ${r.url}`, r]),
      ).values(),
    ];
    expect(routes.length).toBeGreaterThan(50);
    const keys = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const missing = routes
      .filter((r) => !accessMatrix[`${r.method} ${r.url}`])
      .map(
        (r) =>
          `  '${r.method} ${r.url}': ['${suggestedRow(r.access)}', '${r.url}'],` +
          '   // suggested from config.access: set n/e where the caller does not own the resource',
      );
    expect(
      missing,
      `Routes without an access-matrix entry. Add these rows to test/journeys/access-matrix.data.ts (URL with real {references}):\n${missing.join('\n')}\n`,
    ).toEqual([]);
    const stale = Object.keys(accessMatrix).filter((k) => !keys.has(k));
    expect(stale, 'access-matrix entries for routes that no longer exist: remove them').toEqual([]);
  });

  const rows = Object.entries(accessMatrix).sort(
    ([, a], [, b]) =>
      Number(typeof a[1] === 'object' && !!a[1].last) - Number(typeof b[1] === 'object' && !!b[1].last),
  );
  for (const [key, [row, request]] of rows) {
    it(key, async () => {
      const cells = cellsOf(row);
      expect(cells, `${key} needs ${principals.length} cells`).toHaveLength(principals.length);
      const req: MatrixRequest = typeof request === 'string' ? { url: request } : request;
      const wrong: string[] = [];
      // Refusals first, on the untouched world, and they must change nothing.
      const order = principals.map((p, i) => ({ p, cell: cells[i]! }));
      const refused = order.filter((o) => denied.has(o.cell));
      const allowed = order.filter((o) => !denied.has(o.cell));
      const before = await tableDigests(t.db);
      for (const { p, cell } of [...refused, ...allowed]) {
        if (cell === allowed[0]?.cell && p === allowed[0]?.p) {
          const changed = changedTables(before, await tableDigests(t.db));
          expect(changed, `${key}: a refused request changed these tables`).toEqual([]);
        }
        const res = await call(key, req, p);
        if (!outcomeMatches(cell, res.statusCode))
          wrong.push(`${p}: expected ${cell}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
        if (res.statusCode >= 500) wrong.push(`${p}: server error ${res.body.slice(0, 300)}`);
        if (p === 'otherBuyer' || p === 'otherSeller' || p === 'anonymous') {
          if (cell === 'n' || cell === 'e' || cell === '-' || cell === 'x') {
            const leaked = alphaData.filter((d) => res.body.includes(d));
            if (leaked.length > 0) wrong.push(`${p}: got alpha's data ${leaked.join(', ')}`);
          }
        }
        if ((p === 'seller' || p === 'otherSeller') && res.statusCode < 300) {
          const leaked = csTexts.filter((text) => res.body.includes(text));
          if (leaked.length > 0) wrong.push(`${p}: got a CS–buyer message (K5): ${leaked.join(', ')}`);
        }
      }
      if (allowed.length === 0) expect(changedTables(before, await tableDigests(t.db))).toEqual([]);
      expect(wrong, `${key}  (row: ${row})`).toEqual([]);
    });
  }
});

describe('K5 beyond the routes', () => {
  it('no seller receives a CS–buyer message by e-mail, notification or webhook', async () => {
    await world.settle();
    const toSellers = world.mail.received.filter((m) => /sellers\.example/.test(JSON.stringify(m.to)));
    expect(toSellers.length).toBeGreaterThan(0);
    for (const m of toSellers)
      for (const text of csTexts) expect(`${m.subject}\n${m.text}\n${m.html}`).not.toContain(text);
    const notifications = await t.db
      .selectFrom('notification' as never)
      .selectAll()
      .execute();
    expect(notifications.length).toBeGreaterThan(0);
    for (const text of csTexts) expect(JSON.stringify(notifications)).not.toContain(text);
    expect(world.hooks.length).toBeGreaterThan(0);
    for (const text of csTexts) expect(world.hooks.join('\n')).not.toContain(text);
  });
});
