import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { buyer, marketplaces, order, product, seller } from '../../../../test/helpers/fixtures';

const t = await testApp({ BODY_LIMIT_BYTES: '65536' });
let api: TestClient;

const count = async (table: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);
const body = (record: Record<string, unknown>) => {
  const { type: _type, externalId: _id, ...rest } = record;
  return rest;
};

beforeAll(async () => {
  await t.seed([
    ...marketplaces(),
    seller('S-1'),
    seller('S-2'),
    buyer('B-1'),
    product('P-1', 'S-1'),
    product('P-2', 'S-2'),
  ]);
  api = await t.apiKey();
});

describe('idempotent upserts by external id', () => {
  it('creates, then leaves unchanged, then updates a seller', async () => {
    const s = body(seller('S-NEW'));
    expect((await api.put('/api/v1/integration/sellers/S-NEW', s)).json()).toEqual({
      externalId: 'S-NEW',
      outcome: 'created',
    });
    expect((await api.put('/api/v1/integration/sellers/S-NEW', s)).json().outcome).toBe('unchanged');
    const changed = await api.put('/api/v1/integration/sellers/S-NEW', { ...s, standing: 'at_risk' });
    expect(changed.json().outcome).toBe('updated');
    const row = await sql<{
      standing: string;
      n: string;
    }>`select standing, (select count(*) from seller where external_id = 'S-NEW') as n
      from seller where external_id = 'S-NEW'`.execute(t.db);
    expect(row.rows[0]).toEqual({ standing: 'at_risk', n: 1n });
  });

  it('stores an order with its lines once, however often it is sent', async () => {
    const o = body(order('O-1', 'S-1', 'B-1', 'P-1'));
    expect((await api.put('/api/v1/integration/orders/O-1', o)).statusCode).toBe(200);
    expect((await api.put('/api/v1/integration/orders/O-1', o)).json().outcome).toBe('unchanged');
    const lines = await sql<{
      n: string;
    }>`select count(*) as n from order_line l join "order" o on o.id = l.order_id
      where o.external_id = 'O-1'`.execute(t.db);
    expect(lines.rows[0]!.n).toBe(1n);
  });

  it('replaces the lines of an order that is sent again with different lines', async () => {
    const o = body(
      order('O-LINES', 'S-1', 'B-1', 'P-1', {
        lines: [
          { lineNo: 1, productExternalId: 'P-1', units: 1, unitPrice: 1000 },
          { lineNo: 2, productExternalId: 'P-1', units: 1, unitPrice: 500 },
        ],
        itemsTotal: 1500,
        shippingCharge: 0,
        orderTotal: 1500,
      }),
    );
    await api.put('/api/v1/integration/orders/O-LINES', o);
    const fewer = {
      ...o,
      lines: [{ lineNo: 1, productExternalId: 'P-1', units: 1, unitPrice: 1000 }],
      itemsTotal: 1000,
      orderTotal: 1000,
    };
    expect((await api.put('/api/v1/integration/orders/O-LINES', fewer)).json().outcome).toBe('updated');
    const detail = (await api.get('/api/v1/orders/O-LINES')).json();
    expect(detail.lines.map((l: { lineNo: number }) => l.lineNo)).toEqual([1]);
  });

  it('appends carrier events idempotently and derives valid tracking from scans', async () => {
    await api.put('/api/v1/integration/orders/O-2', body(order('O-2', 'S-1', 'B-1', 'P-1')));
    const shipment = {
      orderExternalId: 'O-2',
      carrier: 'BRT',
      trackingNumber: 'BRT123',
      shippedAt: '2026-03-02T15:00:00Z',
      events: [{ code: 'label_created', occurredAt: '2026-03-02T14:00:00Z' }],
    };
    expect((await api.put('/api/v1/integration/shipments/SH-2', shipment)).statusCode).toBe(200);
    let detail = (await api.get('/api/v1/orders/O-2')).json();
    expect(detail.shipments[0].hasValidTracking).toBe(false); // a label is not a scan

    const scans = {
      events: [
        { code: 'picked_up', occurredAt: '2026-03-02T17:00:00Z', location: 'Milano' },
        { code: 'delivered', occurredAt: '2026-03-04T09:30:00Z', location: 'Roma' },
      ],
    };
    expect((await api.post('/api/v1/integration/shipments/SH-2/events', scans)).json()).toEqual({
      received: 2,
    });
    await api.post('/api/v1/integration/shipments/SH-2/events', scans); // the same events again
    await api.put('/api/v1/integration/shipments/SH-2', shipment); // and the shipment again
    detail = (await api.get('/api/v1/orders/O-2')).json();
    expect(detail.shipments[0].events.map((e: { code: string }) => e.code)).toEqual([
      'label_created',
      'picked_up',
      'delivered',
    ]);
    expect(detail.shipments[0].hasValidTracking).toBe(true);
    expect(detail.shipments[0].deliveredAt).toBe('2026-03-04T09:30:00.000Z');
  });

  it('records a return with its lines, events and receipt', async () => {
    await api.put('/api/v1/integration/orders/O-3', body(order('O-3', 'S-1', 'B-1', 'P-1')));
    const ret = {
      orderExternalId: 'O-3',
      reason: 'defective',
      requestedAt: '2026-03-10T08:00:00Z',
      authorisation: 'authorised',
      authorisedAt: '2026-03-10T08:01:00Z',
      carrier: 'Poste Italiane',
      trackingNumber: 'RT1',
      receivedAt: '2026-03-13T11:00:00Z',
      refundedAt: '2026-03-14T09:00:00Z',
      lines: [{ lineNo: 1, units: 1 }],
      events: [{ code: 'delivered', occurredAt: '2026-03-13T11:00:00Z' }],
    };
    expect((await api.put('/api/v1/integration/returns/R-3', ret)).json().outcome).toBe('created');
    await api.post('/api/v1/integration/returns/R-3/events', {
      events: [{ code: 'delivered', occurredAt: '2026-03-13T11:00:00Z' }],
    });
    const detail = (await api.get('/api/v1/orders/O-3')).json();
    expect(detail.returns).toHaveLength(1);
    expect(detail.returns[0]).toMatchObject({
      reason: 'defective',
      receivedAt: '2026-03-13T11:00:00.000Z',
      refundedAt: '2026-03-14T09:00:00.000Z',
      lines: [{ lineNo: 1, units: 1 }],
    });
    expect(detail.returns[0].events).toHaveLength(1);
  });

  it('keeps hostile text as data', async () => {
    const name = `<script>alert(1)</script> Robert'); DROP TABLE seller;--`;
    const res = await api.put("/api/v1/integration/sellers/S-'x", body(seller("S-'x", { name })));
    expect(res.statusCode).toBe(200);
    const s = (await api.get(`/api/v1/sellers/${encodeURIComponent("S-'x")}`)).json();
    expect(s.name).toBe(name);
    expect(await count('seller')).toBeGreaterThan(2);
  });
});

describe('bad input gets a stable code, the field path, and writes nothing', () => {
  const cases: [string, Record<string, unknown>, number, string, string][] = [
    ['wrong currency for the marketplace', { currency: 'USD' }, 422, 'currency_mismatch', 'currency'],
    [
      'lines that do not add up',
      { itemsTotal: 3000, orderTotal: 3499 },
      422,
      'totals_mismatch',
      'itemsTotal',
    ],
    ['a total that is not items plus shipping', { orderTotal: 9999 }, 422, 'totals_mismatch', 'orderTotal'],
    [
      'negative units',
      { lines: [{ lineNo: 1, productExternalId: 'P-1', units: -2, unitPrice: 1999 }] },
      400,
      'validation_failed',
      'body.lines.0.units',
    ],
    [
      'a negative price',
      { lines: [{ lineNo: 1, productExternalId: 'P-1', units: 2, unitPrice: -1 }] },
      400,
      'validation_failed',
      'body.lines.0.unitPrice',
    ],
    ['an excessive amount', { itemsTotal: 1e15 }, 400, 'validation_failed', 'body.itemsTotal'],
    ['an unknown seller', { sellerExternalId: 'S-404' }, 422, 'unknown_reference', 'sellerExternalId'],
    ['an unknown buyer', { buyerExternalId: 'B-404' }, 422, 'unknown_reference', 'buyerExternalId'],
    ['an unknown marketplace', { marketplace: 'XX' }, 422, 'unknown_reference', 'marketplace'],
    [
      "another seller's product",
      { lines: [{ lineNo: 1, productExternalId: 'P-2', units: 2, unitPrice: 1999 }] },
      422,
      'unknown_reference',
      'lines.0.productExternalId',
    ],
    [
      'an unknown fulfilment channel',
      { fulfilmentChannel: 'drone' },
      400,
      'validation_failed',
      'body.fulfilmentChannel',
    ],
    ['a malformed date', { orderedAt: 'yesterday' }, 400, 'validation_failed', 'body.orderedAt'],
    ['an unknown field type', { isPreorder: 'yes' }, 400, 'validation_failed', 'body.isPreorder'],
  ];
  it.each(cases)('%s', async (_name, change, status, code, path) => {
    const before = await count('order');
    const res = await api.put('/api/v1/integration/orders/O-BAD', {
      ...body(order('O-BAD', 'S-1', 'B-1', 'P-1')),
      ...change,
    });
    expect(res.statusCode).toBe(status);
    expect(errorCode(res)).toBe(code);
    expect(res.json().error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await count('order')).toBe(before);
  });

  it('rejects malformed JSON', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/integration/sellers/S-J',
      headers: { ...api.headers, 'content-type': 'application/json' },
      payload: '{"name": "unterminated',
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('malformed_json');
  });

  it('rejects an oversize body', async () => {
    const res = await api.put('/api/v1/integration/sellers/S-BIG', {
      ...body(seller('S-BIG')),
      name: 'x'.repeat(70_000),
    });
    expect(res.statusCode).toBe(413);
    expect(errorCode(res)).toBe('payload_too_large');
    expect((await sql`select 1 from seller where external_id = 'S-BIG'`.execute(t.db)).rows).toHaveLength(0);
  });

  it('rejects a return of more units than were ordered, or of a line the order lacks', async () => {
    await api.put('/api/v1/integration/orders/O-R', body(order('O-R', 'S-1', 'B-1', 'P-1')));
    const ret = {
      orderExternalId: 'O-R',
      reason: 'defective',
      requestedAt: '2026-03-10T08:00:00Z',
      authorisation: 'pending',
    };
    const tooMany = await api.put('/api/v1/integration/returns/R-BAD', {
      ...ret,
      lines: [{ lineNo: 1, units: 3 }],
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.details[0]).toMatchObject({ path: 'lines.0.units', code: 'exceeds_ordered' });
    const noLine = await api.put('/api/v1/integration/returns/R-BAD', {
      ...ret,
      lines: [{ lineNo: 7, units: 1 }],
    });
    expect(errorCode(noLine)).toBe('unknown_reference');
    expect(await count('return')).toBe(1); // only R-3 from above
  });

  it('rejects an authorised return without its authorisation time', async () => {
    const res = await api.put('/api/v1/integration/returns/R-NA', {
      orderExternalId: 'O-1',
      reason: 'defective',
      requestedAt: '2026-03-10T08:00:00Z',
      authorisation: 'authorised',
      lines: [{ lineNo: 1, units: 1 }],
    });
    expect(res.json().error.details[0]).toMatchObject({ path: 'authorisedAt', code: 'required' });
  });

  it('rejects events for an unknown shipment', async () => {
    const res = await api.post('/api/v1/integration/shipments/SH-404/events', {
      events: [{ code: 'delivered', occurredAt: '2026-03-04T09:30:00Z' }],
    });
    expect(errorCode(res)).toBe('unknown_reference');
  });

  it('rejects a product page in a language its marketplace does not sell in', async () => {
    const res = await api.put('/api/v1/integration/products/P-X', {
      ...body(product('P-X', 'S-1')),
      pages: [{ marketplace: 'IT', language: 'de', title: 'Wasserkocher' }],
    });
    expect(res.json().error.details[0]).toMatchObject({ path: 'pages.0.language', code: 'not_in_languages' });
  });
});

describe('batches are all or nothing', () => {
  it('applies records in dependency order, so later types may refer to earlier ones in the same batch', async () => {
    const res = await api.post('/api/v1/integration/batch', {
      records: [
        order('O-BATCH', 'S-BATCH', 'B-BATCH', 'P-BATCH'),
        product('P-BATCH', 'S-BATCH'),
        buyer('B-BATCH'),
        seller('S-BATCH'),
      ],
    });
    expect(res.json()).toEqual({ accepted: 4, created: 4, updated: 0 });
  });

  it('writes nothing when one record is bad, and names the record', async () => {
    const before = await Promise.all(['seller', 'buyer', 'order'].map(count));
    const res = await api.post('/api/v1/integration/batch', {
      records: [
        seller('S-ALL'),
        buyer('B-ALL'),
        order('O-ALL', 'S-ALL', 'B-ALL', 'P-1', { currency: 'GBP' }),
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('batch_rejected');
    expect(res.json().error.details[0].path).toMatch(/^records\.2\./);
    expect(await Promise.all(['seller', 'buyer', 'order'].map(count))).toEqual(before);
  });

  it('rejects an unknown record type', async () => {
    const res = await api.post('/api/v1/integration/batch', { records: [{ type: 'spaceship' }] });
    expect(errorCode(res)).toBe('batch_rejected');
  });
});

describe('what a record belongs to never changes (cases, refunds and claims point at it)', () => {
  const owned = [
    order('O-OWN', 'S-1', 'B-1', 'P-1'),
    order('O-ELSE', 'S-1', 'B-1', 'P-1'),
    {
      type: 'shipment',
      externalId: 'SH-OWN',
      orderExternalId: 'O-OWN',
      carrier: 'BRT',
      shippedAt: '2026-03-02T15:00:00Z',
    },
    {
      type: 'return',
      externalId: 'R-OWN',
      orderExternalId: 'O-OWN',
      reason: 'defective',
      requestedAt: '2026-03-10T08:00:00Z',
      authorisation: 'pending',
      lines: [{ lineNo: 1, units: 1 }],
    },
  ];
  const [ownOrder, , ownShipment, ownReturn] = owned as Record<string, unknown>[];
  const p2Line = { lines: [{ lineNo: 1, productExternalId: 'P-2', units: 2, unitPrice: 1999 }] };
  // name, the record sent again with a change, the fields refused
  const moves: [string, Record<string, unknown>, string[]][] = [
    ['an order to another marketplace', { ...ownOrder, marketplace: 'FR' }, ['marketplace']],
    ['an order to another seller', { ...ownOrder, sellerExternalId: 'S-2', ...p2Line }, ['sellerExternalId']],
    ['an order to another buyer', { ...ownOrder, buyerExternalId: 'B-2' }, ['buyerExternalId']],
    [
      'an order to another marketplace and currency',
      { ...ownOrder, marketplace: 'US', currency: 'USD' },
      ['marketplace', 'currency'],
    ],
    ['a product to another seller', product('P-1', 'S-2'), ['sellerExternalId']],
    ['a shipment to another order', { ...ownShipment, orderExternalId: 'O-ELSE' }, ['orderExternalId']],
    ['a return to another order', { ...ownReturn, orderExternalId: 'O-ELSE' }, ['orderExternalId']],
  ];
  const urlOf = (r: Record<string, unknown>) => `/api/v1/integration/${r.type}s/${r.externalId}`;
  const tableOf = (r: Record<string, unknown>) => (r.type === 'order' ? '"order"' : `"${r.type}"`);
  const stored = async (r: Record<string, unknown>) =>
    (await sql`select * from ${sql.raw(tableOf(r))} where external_id = ${r.externalId}`.execute(t.db)).rows;
  const snapshot = async () =>
    Promise.all([...moves.map(([, r]) => stored(r)), count('seller'), count('order_line')]);

  beforeAll(async () => {
    await t.seed([buyer('B-2'), ...owned]);
  });

  it.each(moves)('refuses to move %s over PUT, and writes nothing', async (_name, record, fields) => {
    const before = await snapshot();
    const res = await api.put(urlOf(record), body(record));
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('immutable_field');
    const details = res.json().error.details as { path: string; code: string }[];
    expect(details.filter((d) => d.code === 'immutable_field').map((d) => d.path)).toEqual(fields);
    expect(await snapshot()).toEqual(before);
  });

  it('rejects the whole batch that moves one record, naming the record and the field', async () => {
    const before = await snapshot();
    for (const [, record, fields] of moves) {
      const res = await api.post('/api/v1/integration/batch', { records: [seller('S-MOVE'), record] });
      expect(res.statusCode).toBe(422);
      expect(errorCode(res)).toBe('batch_rejected');
      expect(res.json().error.details).toEqual(
        fields.map((f) => expect.objectContaining({ path: `records.1.${f}`, code: 'immutable_field' })),
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('rejects each moving line of an NDJSON import with the code, keeping the other lines', async () => {
    const before = await snapshot();
    // One move per record: within one chunk the last version of a record is the one applied.
    const moving = [...new Map(moves.map(([, r]) => [r.externalId, r])).values()];
    const lines = [seller('S-NDJSON'), ...moving];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integration/import',
      headers: { ...api.headers, 'content-type': 'application/x-ndjson' },
      payload: lines.map((l) => JSON.stringify(l)).join('\n'),
    });
    expect(res.json()).toMatchObject({ lines: lines.length, accepted: 1, rejected: moving.length });
    const rejected = res.json().rejectedLines as { line: number; errors: { code: string }[] }[];
    expect(rejected.map((r) => r.line).sort((a, b) => a - b)).toEqual(moving.map((_, i) => i + 2));
    for (const r of rejected) expect(r.errors.map((e) => e.code)).toContain('immutable_field');
    expect(await count('seller')).toBe((before.at(-2) as number) + 1);
    expect((await snapshot()).slice(0, moves.length)).toEqual(before.slice(0, moves.length));
  });

  it('is kept by the database too, whoever writes', async () => {
    const move = sql`update "order" set buyer_id = (select id from buyer where external_id = 'B-2')
      where external_id = 'O-OWN'`;
    await expect(move.execute(t.db)).rejects.toThrow(/cannot change once set/);
    const moveReturn = sql`update "return" set order_id = (select id from "order" where external_id = 'O-ELSE')
      where external_id = 'R-OWN'`;
    await expect(moveReturn.execute(t.db)).rejects.toThrow(/cannot change once set/);
  });

  it('still updates every other field of the same records', async () => {
    const res = await api.put(urlOf(ownShipment!), { ...body(ownShipment!), trackingNumber: 'BRT-NEW' });
    expect(res.json().outcome).toBe('updated');
    expect((await api.put(urlOf(ownOrder!), body(ownOrder!))).json().outcome).toBe('unchanged');
  });
});
