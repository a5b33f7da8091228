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
  console.log(`fuzz: HTTP answers by status ${JSON.stringify(statuses)}`);
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
            const changed = changedTables(before, await tableDigests(t.db)).filter(
              (table) => !(res.statusCode === 401 && table === 'app_user'), // a failed sign-in is counted
            );
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
