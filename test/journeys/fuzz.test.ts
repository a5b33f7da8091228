// Issue 19.3: fuzzing with fast-check over everything that arrives from outside — every operation of
// the OpenAPI document (path, query and JSON body), every chat frame, NDJSON import lines and raw SMTP
// messages — against the seeded world of the access matrix. Goals: no server error (5xx, an `internal`
// chat error, SMTP 451), no partial write (a refused request changes no table), and the database's
// invariants (test/helpers/db-state.ts) hold after every part. Bounded: FUZZ_RUNS inputs per operation.
import fc from 'fast-check';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBotModel, loadCorpus } from '../../src/server/modules/bot';
import { startInboundSmtp } from '../../src/server/modules/email';
import { createLogger } from '../../src/server/platform/log';
import { replyAddress } from '../../src/server/platform/reply-token';
import { accessWorld, type PrincipalName } from '../helpers/access-world';
import { listeningApp } from '../helpers/chat-client';
import { brokenInvariants, changedTables, tableDigests } from '../helpers/db-state';
import { SocketProbe } from '../helpers/socket-probe';
import { accessMatrix, type MatrixRequest, relativeTimes } from './access-matrix.data';

/** Inputs per HTTP operation; raise it for a deeper run (`FUZZ_RUNS=500 npx vitest run test/journeys/fuzz.test.ts`). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const SEED = Number(process.env.FUZZ_SEED ?? 19);

const world = await accessWorld();
const { t, clients, refs } = world;
const statuses: Record<string, number> = {};
const chatErrors: Record<string, number> = {};
const smtpCodes: Record<string, number> = {};
const tally = {
  http: 0,
  operations: 0,
  frames: 0,
  ndjsonLines: 0,
  smtp: 0,
  serverErrors: 0,
  partialWrites: 0,
};
afterAll(() => {
  console.log(
    `fuzz: ${tally.http} HTTP inputs over ${tally.operations} operations, ${tally.frames} socket frames, ` +
      `${tally.ndjsonLines} NDJSON lines, ${tally.smtp} SMTP messages; ` +
      `server errors ${tally.serverErrors}, partial writes ${tally.partialWrites} (seed ${SEED}, ${RUNS} runs per operation)`,
  );
  console.log(
    `fuzz: HTTP answers by status ${JSON.stringify(statuses)}; chat errors by code ${JSON.stringify(chatErrors)}; SMTP answers ${JSON.stringify(smtpCodes)}`,
  );
});

// ---- hostile values ------------------------------------------------------------------------------

const nastyStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDFFFy',
  "'; drop table cs_case; --",
  '" or 1=1 --',
  '../../../../etc/passwd',
  '%00',
  '%ED%A0%80',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, on purpose
  '{{7*7}}${7*7}',
  '\u202Eevil',
  'null',
  'NaN',
  '-1',
  '1e309',
  '99999999999999999999999999',
  '0x7fffffffffffffff',
  '2026-02-30T25:61:00Z',
  '0000-00-00',
  '00000000-0000-0000-0000-000000000000',
  'IT-9999999',
  'O-BETA',
  'S-BETA',
  '🙂'.repeat(300),
  'x'.repeat(20_000),
];
const nastyNumbers = [
  0,
  -0,
  -1,
  0.5,
  -0.000001,
  1e11,
  100_000_000_001,
  -100_000_000_001,
  2 ** 31,
  2 ** 53,
  2 ** 63,
  -(2 ** 63),
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
];
const hostileString = fc.oneof(
  fc.constantFrom(...nastyStrings),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.uuid(),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(...nastyNumbers),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const hostileScalar = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileScalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 2000 }, () => 1)) },
  {
    weight: 1,
    arbitrary: fc.constant(
      JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`), // deep nesting
    ),
  },
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: Json[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  const?: Json;
};

/** Values the schema may accept, mostly, with hostile ones mixed in: the shape is right, the content not. */
function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return hostileValue;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), hostileScalar);
  if (schema.enum) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, hostileScalar);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(props.map(([k, s]) => [k, fromSchema(s, depth + 1)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { maxLength: 3 });
    case 'integer':
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 100_000, 2 ** 31) }),
        hostileNumber,
      );
    case 'number':
      return hostileNumber;
    case 'boolean':
      return fc.oneof(fc.boolean(), hostileScalar);
    case 'string':
      return fc.oneof(hostileString, fc.string({ maxLength: 12 }));
    default:
      return hostileValue;
  }
}

/** Every path into a JSON value (for mutating one spot of a valid body). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value && typeof value === 'object')
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return [prefix];
}
function mutateAt(value: unknown, path: (string | number)[], replacement: unknown, drop: boolean): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  if (rest.length === 0 && drop) delete copy[head!];
  else copy[head!] = mutateAt(copy[head!], rest, replacement, drop);
  return copy;
}

// ---- the operations --------------------------------------------------------------------------------

const names: Record<string, () => string> = {
  ...relativeTimes,
  ...Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, () => v])),
  loginEmail: () => world.loginEmail,
  loginPassword: () => 'wrong password',
};
function fill<T>(value: T): T {
  if (typeof value === 'string')
    return value.replace(/\{(\w+)\}/g, (whole, name: string) => names[name]?.() ?? whole) as T;
  if (Array.isArray(value)) return value.map(fill) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)])) as T;
  return value;
}

type Operation = {
  key: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  pathParams: string[];
  queryParams: { name: string; schema?: Schema }[];
  body?: Schema;
  base: MatrixRequest;
  principal: PrincipalName;
};

/** Who calls an operation: the first caller the matrix lets in, the owners first. */
const callers: PrincipalName[] = [
  'buyer',
  'seller',
  'agent',
  'supervisor',
  'reviewer',
  'admin',
  'integrationKey',
  'telephonyKey',
  'anonymous',
];
const cellOf = (row: string, p: PrincipalName) =>
  row.trim().split(/\s+/)[
    [
      'anonymous',
      'buyer',
      'otherBuyer',
      'seller',
      'otherSeller',
      'agent',
      'supervisor',
      'reviewer',
      'admin',
      'integrationKey',
      'telephonyKey',
    ].indexOf(p)
  ];
/** Not fuzzed: ending the callers' sessions would end the fuzz; the socket has its own part below. */
const skipped = new Set(['POST /api/v1/auth/logout', 'GET /api/v1/chat/socket']);

const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; schema?: Schema }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
};
const operations: Operation[] = [];
for (const [openapiPath, ops] of Object.entries(doc.paths))
  for (const [m, op] of Object.entries(ops)) {
    const method = m.toUpperCase() as Operation['method'];
    if (method === ('HEAD' as string)) continue;
    const path = openapiPath.replace(/\{(\w+)\}/g, ':$1');
    const key = `${method} ${path}`;
    const row = accessMatrix[key];
    if (skipped.has(key) || !row) continue;
    const principal = callers.find((p) => ['A', 'v'].includes(cellOf(row[0], p) ?? ''));
    if (!principal) continue;
    operations.push({
      key,
      method,
      path,
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: (op.parameters ?? []).filter((p) => p.in === 'query'),
      body: op.requestBody?.content?.['application/json']?.schema,
      base: typeof row[1] === 'string' ? { url: row[1] } : row[1],
      principal,
    });
  }

type Input = { url: string; body?: unknown; rawBody?: string };

function inputFor(op: Operation): fc.Arbitrary<Input> {
  const baseUrl = fill(op.base.url);
  const [basePath, baseQuery = ''] = baseUrl.split('?');
  const baseSegments = basePath!.split('/');
  const templateSegments = op.path.split('/');
  const segment = (name: string) => {
    const valid = baseSegments[templateSegments.indexOf(`:${name}`)] ?? 'x';
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant(valid) },
      { weight: 3, arbitrary: hostileString.map((s) => encodeURIComponent(s) || '%20') },
      { weight: 1, arbitrary: fc.constantFrom('%ED%A0%80', '%00', '..', '%2F', '%FF') },
    );
  };
  const pathArb = fc.tuple(...op.pathParams.map((n) => segment(n))).map((values) => {
    let p = op.path;
    op.pathParams.forEach((n, i) => {
      p = p.replace(`:${n}`, values[i]!);
    });
    return p;
  });
  const queryArb = fc
    .tuple(
      fc.constant(new URLSearchParams(baseQuery)),
      fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...op.queryParams.map((q) => q.name), 'unknown'), hostileString),
          fc.oneof(hostileString, hostileNumber.map(String)),
        ),
        { maxLength: 3 },
      ),
      fc.boolean(),
    )
    .map(([base, extra, keepBase]) => {
      const q = keepBase ? new URLSearchParams(base) : new URLSearchParams();
      for (const [k, v] of extra) q.set(k, v);
      const s = q.toString();
      return s ? `?${s}` : '';
    });
  const validBody = op.base.body === undefined ? undefined : fill(op.base.body);
  const paths = validBody === undefined ? [] : pathsOf(validBody);
  const bodyArb: fc.Arbitrary<Pick<Input, 'body' | 'rawBody'>> =
    op.method === 'GET' || op.method === 'DELETE'
      ? fc.constant({})
      : fc.oneof(
          // one spot of a valid body made hostile, or removed
          {
            weight: 4,
            arbitrary:
              paths.length > 0
                ? fc
                    .tuple(fc.constantFrom(...paths), hostileValue, fc.boolean())
                    .map(([p, v, drop]) => ({ body: mutateAt(validBody, p, v, drop) }))
                : fc.constant({ body: {} }),
          },
          // a body built from the schema
          { weight: 3, arbitrary: fromSchema(op.body).map((body) => ({ body })) },
          // anything at all
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((body) => ({ body })) },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom(
                '{',
                '{"a":',
                '[1,2',
                'null',
                '"\\u0000"',
                '{"__proto__":{"admin":true}}',
                '\u0000',
              )
              .map((rawBody) => ({ rawBody })),
          },
        );
  return fc.tuple(pathArb, queryArb, bodyArb).map(([p, q, b]) => ({ url: `${p}${q}`, ...b }));
}

async function send(op: Operation, input: Input) {
  const headers: Record<string, string> = { ...clients[op.principal].headers };
  if (op.method !== 'GET') headers['idempotency-key'] = `fuzz-${Math.random().toString(36).slice(2)}`;
  if (op.base.raw) {
    headers['content-type'] = op.base.raw.contentType;
    return t.app.inject({ method: op.method, url: input.url, headers, payload: op.base.raw.payload });
  }
  if (input.rawBody !== undefined) {
    headers['content-type'] = 'application/json';
    return t.app.inject({ method: op.method, url: input.url, headers, payload: input.rawBody });
  }
  return t.app.inject({
    method: op.method,
    url: input.url,
    headers,
    ...(input.body === undefined ? {} : { payload: JSON.stringify(input.body) }),
    ...(input.body === undefined ? {} : { headers: { ...headers, 'content-type': 'application/json' } }),
  });
}

const describeInput = (op: Operation, input: Input) =>
  `${op.method} ${input.url.slice(0, 300)} as ${op.principal} ${JSON.stringify(input.body ?? input.rawBody ?? null)?.slice(0, 500)}`;

describe('fuzz: HTTP, from the OpenAPI document', () => {
  it('starts from a world that keeps its invariants', async () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(await brokenInvariants(t.db)).toEqual({});
  });

  for (const op of operations) {
    it(op.key, async () => {
      tally.operations++;
      await fc.assert(
        fc.asyncProperty(inputFor(op), async (input) => {
          tally.http++;
          const writes = op.method !== 'GET';
          const before = writes ? await tableDigests(t.db) : null;
          const res = await send(op, input);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 500) {
            tally.serverErrors++;
            throw new Error(
              `server error ${res.statusCode} ${res.body.slice(0, 300)} for ${describeInput(op, input)}`,
            );
          }
          if (before && res.statusCode >= 400) {
            const changed = changedTables(before, await tableDigests(t.db));
            if (changed.length > 0) {
              tally.partialWrites++;
              throw new Error(
                `refused (${res.statusCode} ${res.body.slice(0, 200)}) but changed ${changed.join(', ')}: ${describeInput(op, input)}`,
              );
            }
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    });
  }

  it('leaves a database that keeps its invariants', async () => {
    expect(await brokenInvariants(t.db)).toEqual({});
  });
});

// ---- chat frames ------------------------------------------------------------------------------------

const frameFields: Record<string, string[]> = {
  hello: ['token', 'conversationId', 'lastSeq'],
  start: ['marketplace', 'language', 'orderId', 'caseNumber'],
  message: ['clientMessageId', 'text', 'conversationId'],
  button: ['clientMessageId', 'buttonId', 'conversationId'],
  typing: ['conversationId'],
  handoff: ['conversationId'],
  rate: ['conversationId', 'stars', 'solved', 'comment', 'subject'],
  take_over: ['conversationId'],
  ping: [],
};
/** Frames of every client type with hostile fields, and what is not a frame at all. */
const frameArb: fc.Arbitrary<string | Buffer> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'hello',
          'start',
          'message',
          'button',
          'typing',
          'handoff',
          'rate',
          'take_over',
          'ping',
        ),
        fc.record(
          {
            conversationId: fc.oneof(fc.constant(refs.conversationId), fc.uuid(), hostileString),
            clientMessageId: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), hostileString),
            text: fc.oneof(fc.string({ maxLength: 40 }), hostileString),
            buttonId: fc.oneof(
              fc.constantFrom('handoff:email', 'handoff:callback', 'contact:email'),
              hostileString,
            ),
            marketplace: fc.oneof(fc.constantFrom('IT', 'DE', 'ZZ'), hostileString),
            language: fc.oneof(fc.constantFrom('it', 'en', 'xx'), hostileString),
            orderId: fc.oneof(fc.constantFrom('O-ALPHA', 'O-BETA'), hostileString),
            caseNumber: fc.oneof(fc.constantFrom(refs.caseNumber, 'IT-0000099'), hostileString),
            stars: fc.oneof(fc.integer({ min: 1, max: 5 }), hostileNumber),
            solved: fc.oneof(fc.boolean(), hostileScalar),
            comment: hostileString,
            subject: fc.oneof(fc.constantFrom('bot', 'agent'), hostileString),
            lastSeq: fc.oneof(fc.nat(20), hostileNumber),
            token: fc.oneof(hostileString, fc.constant(world.buyerToken)),
            extra: hostileValue,
          },
          { requiredKeys: [] },
        ),
      )
      .chain(([type, fields]) =>
        // Mostly the frame's own fields (a strict schema refuses others), now and then an extra.
        fc.boolean().map((extra) => {
          const own = frameFields[type] ?? [];
          const picked = Object.fromEntries(
            Object.entries(fields).filter(([k]) => own.includes(k) || (extra && k === 'extra')),
          );
          return JSON.stringify({ type, ...picked });
        }),
      ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '{', 'null', '[]', '{"type":"__proto__"}', '\u0000', 'x'.repeat(17_000)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
);

describe('fuzz: chat frames', () => {
  it('answers every frame without an internal error, keeps the socket, and keeps the invariants', async () => {
    // Its own instance with no frame limit: the fuzz is about content, the flood is another test.
    const live = await listeningApp(t.database, undefined, { CHAT_FRAMES_PER_10_SECONDS: '1000000' });
    try {
      for (const who of ['buyer', 'agent', 'supervisor'] as const) {
        await fc.assert(
          fc.asyncProperty(fc.array(frameArb, { minLength: 1, maxLength: 8 }), async (frames) => {
            const headers: Record<string, string> =
              who === 'buyer' ? {} : { cookie: clients[who].headers.cookie! };
            const probe = await SocketProbe.open(live.port, headers);
            try {
              probe.send(
                who === 'buyer'
                  ? { type: 'hello', token: world.buyerToken, conversationId: refs.conversationId }
                  : { type: 'hello', conversationId: refs.conversationId },
              );
              await probe.until(0, (f) => f.some((x) => x.type === 'welcome'));
              for (const frame of frames) probe.send(frame);
              tally.frames += frames.length;
              const mark = probe.frames.length;
              probe.send({ type: 'ping' });
              await probe.until(mark, (f) => f.some((x) => x.type === 'pong'), 5000);
              for (const x of probe.frames)
                if (x.type === 'error') chatErrors[x.code] = (chatErrors[x.code] ?? 0) + 1;
              const internal = probe.frames.filter((x) => x.type === 'error' && x.code === 'internal');
              if (internal.length > 0) {
                tally.serverErrors++;
                throw new Error(
                  `internal error for frames ${JSON.stringify(frames.map(String)).slice(0, 800)}`,
                );
              }
              // The socket survives everything under 64 KiB and still answers.
              if (!probe.frames.slice(mark).some((x) => x.type === 'pong'))
                throw new Error(
                  `no pong after ${JSON.stringify(frames.map(String)).slice(0, 800)}: closed ${JSON.stringify(probe.closed)}`,
                );
            } finally {
              probe.close();
            }
          }),
          { numRuns: RUNS * 2, seed: SEED, endOnFailure: true },
        );
      }
      expect(await brokenInvariants(t.db)).toEqual({});
    } finally {
      await live.app.close();
    }
  });
});

// ---- NDJSON import --------------------------------------------------------------------------------

/** Records the world already has, to mutate into lines that must be refused. */
const validRecords: Record<string, unknown>[] = [
  { type: 'buyer', externalId: 'B-FUZZ', name: 'Buyer Fuzz', email: 'fuzz@buyers.example', language: 'it' },
  {
    type: 'seller',
    externalId: 'S-FUZZ',
    name: 'Seller Fuzz',
    homeCountry: 'IT',
    defaultEmail: 'fuzz@sellers.example',
    languages: ['it'],
    standing: 'good',
  },
  {
    type: 'order',
    externalId: 'O-FUZZ',
    marketplace: 'IT',
    sellerExternalId: 'S-ALPHA',
    buyerExternalId: 'B-ALPHA',
    fulfilmentChannel: 'seller',
    currency: 'EUR',
    orderedAt: '2026-03-02T10:00:00Z',
    lines: [{ lineNo: 1, productExternalId: 'P-ALPHA', units: 2, unitPrice: 1999 }],
    itemsTotal: 3998,
    shippingCharge: 499,
    orderTotal: 4497,
  },
  {
    type: 'shipment',
    externalId: 'SH-FUZZ',
    orderExternalId: 'O-ALPHA',
    carrier: 'BRT',
    shippedAt: '2026-03-03T10:00:00Z',
    events: [{ code: 'picked_up', occurredAt: '2026-03-03T12:00:00Z' }],
  },
];
/** A change that makes any record invalid, whatever else it holds. */
const breakRecord = (record: Record<string, unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...Object.keys(record).filter((k) => k !== 'type')).map((k) => {
      const { [k]: _gone, ...rest } = record;
      return JSON.stringify(k === 'shippingCharge' || k === 'events' ? { ...rest, type: 'nope' } : rest);
    }),
    fc.constant(JSON.stringify({ ...record, type: 'nope' })),
    fc.constant(JSON.stringify({ ...record, externalId: 'a\u0000b' })),
    fc.constant(JSON.stringify({ ...record, externalId: 12345 })),
    fc.constant(
      JSON.stringify({ ...record, name: '\uD800', email: '\uD800', carrier: '\uD800', currency: 7 }),
    ),
    fc.constant(
      JSON.stringify({
        ...record,
        orderTotal: -1,
        itemsTotal: 1e308,
        shippedAt: 'yesterday',
        homeCountry: 1,
        language: 'xx-invalid',
      }),
    ),
    fc.constantFrom('{', '[1,2]', '42', '"text"', 'null', '{"type":', '\u0000', '{"type":"order"}'),
  );

describe('fuzz: NDJSON import lines', () => {
  it('refuses every broken line and writes nothing for it; a mixed batch keeps what is valid', async () => {
    const admin = clients.integrationKey;
    const importLines = (lines: string[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/integration/import',
        headers: { ...admin.headers, 'content-type': 'application/x-ndjson' },
        payload: `${lines.join('\n')}\n`,
      });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...validRecords).chain(breakRecord), { minLength: 1, maxLength: 12 }),
        async (lines) => {
          tally.ndjsonLines += lines.length;
          const before = await tableDigests(t.db);
          const res = await importLines(lines);
          if (res.statusCode >= 500) {
            tally.serverErrors++;
            throw new Error(`server error ${res.body} for ${JSON.stringify(lines)}`);
          }
          const summary = res.json();
          const changed = changedTables(before, await tableDigests(t.db));
          if (summary.accepted !== 0 || changed.length > 0) {
            tally.partialWrites++;
            throw new Error(
              `broken lines were taken (${res.body}), changed ${changed}: ${JSON.stringify(lines)}`,
            );
          }
          expect(summary.rejected).toBe(lines.length);
        },
      ),
      { numRuns: RUNS * 2, seed: SEED, endOnFailure: true },
    );
    // A batch mixing valid records with broken and raw garbage, invalid UTF-8 included.
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constantFrom(...validRecords).map((r) => JSON.stringify(r)),
            fc.constantFrom(...validRecords).chain(breakRecord),
            fc.string({ unit: 'binary', maxLength: 30 }),
          ),
          { minLength: 1, maxLength: 10 },
        ),
        async (lines) => {
          tally.ndjsonLines += lines.length;
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/v1/integration/import',
            headers: { ...admin.headers, 'content-type': 'application/x-ndjson' },
            payload: Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), Buffer.from([0xff, 0xfe, 0x0a])]),
          });
          if (res.statusCode >= 500) {
            tally.serverErrors++;
            throw new Error(`server error ${res.body} for ${JSON.stringify(lines)}`);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(await brokenInvariants(t.db)).toEqual({});
  });
});

// ---- raw SMTP messages ----------------------------------------------------------------------------

describe('fuzz: raw SMTP messages', () => {
  it('answers every message with 250 or a permanent refusal, never a local error, and keeps the invariants', async () => {
    const examples = loadCorpus().filter((_, i) => i % 40 === 0); // a small real model is enough here
    const inbound = await startInboundSmtp(
      t.db,
      {
        domain: t.config.mailDomain,
        replyTokenSecret: t.config.replyTokenSecret,
        bot: buildBotModel(examples),
        maxAttachmentBytes: 50_000,
        maxAttachments: 2,
      },
      { host: '127.0.0.1', port: 0, maxMessageBytes: 100_000 },
      createLogger('silent'),
    );
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: inbound.port,
      secure: false,
      ignoreTLS: true,
    });
    try {
      const caseId = (
        await sql<{ id: string }>`select id from cs_case where case_number = ${refs.caseNumber}`.execute(t.db)
      ).rows[0]!.id;
      const domain = t.config.mailDomain;
      const recipient = fc.constantFrom(
        `support-it@${domain}`,
        `support-zz@${domain}`,
        replyAddress(t.config.replyTokenSecret, domain, 'case', caseId),
        `reply+case.${caseId}.forged@${domain}`,
        `reply+caselog.${refs.caseLogId}.x@${domain}`,
        `nobody@${domain}`,
      );
      const sender = fc.constantFrom(
        'b-alpha@buyers.example',
        'b-beta@buyers.example',
        'alpha@sellers.example',
        'stranger@else.example',
      );
      const headerText = fc.oneof(
        hostileString,
        fc.constantFrom('=?utf-8?B?AAAA?=', '=?x-unknown?Q?=FF=00?=', 'Re: [IT-0000001]'),
      );
      const body = fc.oneof(
        hostileString,
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
        fc.constant('--b\r\nContent-Type: text/plain\r\n\r\nno end boundary'),
      );
      const message = fc
        .record({
          from: sender,
          to: recipient,
          subject: headerText,
          messageId: fc.oneof(
            fc.constant(''),
            hostileString.map((s) => `<${s}@x>`),
          ),
          contentType: fc.constantFrom(
            'text/plain; charset=utf-8',
            'text/html',
            'multipart/mixed; boundary=b',
            'application/octet-stream',
            'text/plain; charset=x-nonsense',
          ),
          encoding: fc.constantFrom('7bit', 'base64', 'quoted-printable', 'x-unknown'),
          body,
          junkHeader: headerText,
        })
        .map((m) => ({
          envelope: { from: m.from, to: [m.to] },
          raw: [
            `From: ${m.from}`,
            `To: ${m.to}`,
            `Subject: ${m.subject.replace(/\r?\n/g, ' ')}`,
            ...(m.messageId ? [`Message-ID: ${m.messageId.replace(/\r?\n/g, ' ')}`] : []),
            `Content-Type: ${m.contentType}`,
            `Content-Transfer-Encoding: ${m.encoding}`,
            `X-Junk: ${m.junkHeader.replace(/\r?\n/g, ' ')}`,
            '',
            m.body,
          ].join('\r\n'),
        }));
      await fc.assert(
        fc.asyncProperty(message, async (mail) => {
          tally.smtp++;
          const code = await transport.sendMail(mail).then(
            () => 250,
            (error: { responseCode?: number }) => error.responseCode ?? 0,
          );
          smtpCodes[code] = (smtpCodes[code] ?? 0) + 1;
          if (code === 451 || code === 0 || code === 421) {
            tally.serverErrors++;
            throw new Error(`SMTP answered ${code} to ${JSON.stringify(mail).slice(0, 800)}`);
          }
        }),
        { numRuns: RUNS * 4, seed: SEED, endOnFailure: true },
      );
      expect(await brokenInvariants(t.db)).toEqual({});
    } finally {
      transport.close();
      await inbound.close();
    }
  });
});
