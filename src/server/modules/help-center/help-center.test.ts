import { describe, expect, it } from 'vitest';
import { errorCode, testApp } from '../../../../test/helpers/app';
import { order, twoSellers } from '../../../../test/helpers/fixtures';
import { orderState } from './order-state';

const t = await testApp();
const future = '2099-01-01';
await t.seed([
  ...twoSellers(),
  order('O-TRANSIT', 'S-A', 'B-1', 'P-A', {
    orderedAt: '2026-03-03T10:00:00Z',
    promisedDeliveryDate: future,
  }),
  order('O-LATE', 'S-A', 'B-1', 'P-A', {
    orderedAt: '2026-03-04T10:00:00Z',
    promisedDeliveryDate: '2026-03-06',
  }),
  order('O-DONE', 'S-A', 'B-1', 'P-A', { orderedAt: '2026-03-05T10:00:00Z' }),
  {
    type: 'shipment',
    externalId: 'SH-T',
    orderExternalId: 'O-TRANSIT',
    carrier: 'BRT',
    trackingNumber: 'T1',
    shippedAt: '2026-03-03T15:00:00Z',
    events: [{ code: 'in_transit', occurredAt: '2026-03-04T08:00:00Z' }],
  },
  {
    type: 'shipment',
    externalId: 'SH-D',
    orderExternalId: 'O-DONE',
    carrier: 'BRT',
    trackingNumber: 'D1',
    shippedAt: '2026-03-05T15:00:00Z',
    events: [
      { code: 'in_transit', occurredAt: '2026-03-06T08:00:00Z' },
      { code: 'delivered', occurredAt: '2026-03-07T11:00:00Z' },
    ],
  },
]);

describe('Contact Us read (GET /api/v1/help/:marketplace)', () => {
  it('gives the signed-in buyer their recent orders, newest first, each with its state', async () => {
    const buyer = await t.user('buyer', { buyerExternalId: 'B-1' });
    const res = await buyer.get('/api/v1/help/IT?language=it');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.orders.map((o: { externalId: string; state: string }) => [o.externalId, o.state])).toEqual([
      ['O-DONE', 'delivered'],
      ['O-LATE', 'late'],
      ['O-TRANSIT', 'in_transit'],
      ['O-A', 'late'],
    ]);
    expect(body.orders[0]).toMatchObject({
      title: 'Bollitore in acciaio inox',
      itemCount: 1,
      total: { amount: 4497, currency: 'EUR' },
      stateAt: '2026-03-07T11:00:00.000Z',
    });
    expect(body.marketplace).toMatchObject({ id: 'IT', defaultLanguage: 'it' });
    // No address set: the inbound mail's own, which always reaches CS; no phone until one is set.
    expect(body.channels).toEqual({
      chat: true,
      email: 'support-it@onbehalf.test',
      phone: null,
      phoneHours: null,
    });
  });

  it('serves a buyer who comes with the operator-signed token, too', async () => {
    const res = await (await t.buyerToken('B-1')).get('/api/v1/help/IT');
    expect(res.statusCode).toBe(200);
    expect(res.json().orders).toHaveLength(4);
  });

  it("never shows another buyer's orders, and refuses sellers, staff and anonymous callers", async () => {
    const other = await t.user('buyer', { buyerExternalId: 'B-2' });
    const orders = (await other.get('/api/v1/help/IT')).json().orders;
    expect(orders.map((o: { externalId: string }) => o.externalId)).toEqual(['O-B']);
    const seller = await t.user('seller', { sellerExternalId: 'S-A' });
    expect(errorCode(await seller.get('/api/v1/help/IT'))).toBe('forbidden');
    expect(errorCode(await (await t.user('agent')).get('/api/v1/help/IT'))).toBe('forbidden');
    expect(errorCode(await t.anonymous().get('/api/v1/help/IT'))).toBe('unauthenticated');
  });

  it('answers an unknown marketplace with not_found and a bad one with validation_failed', async () => {
    const buyer = await t.user('buyer', { buyerExternalId: 'B-1' });
    expect(errorCode(await buyer.get('/api/v1/help/ZZ'))).toBe('not_found');
    expect(errorCode(await buyer.get('/api/v1/help/it'))).toBe('validation_failed');
  });

  it('shows the e-mail, phone and hours an admin sets; refuses others and bad values', async () => {
    const admin = await t.user('admin');
    const channels = {
      supportEmail: 'aiuto@shop.example.it',
      supportPhone: '+39 02 1234 5678',
      phoneHours: { days: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00' },
    };
    expect((await admin.put('/api/v1/admin/marketplaces/IT/help-channels', channels)).statusCode).toBe(204);
    const buyer = await t.user('buyer', { buyerExternalId: 'B-1' });
    expect((await buyer.get('/api/v1/help/IT')).json().channels).toEqual({
      chat: true,
      email: 'aiuto@shop.example.it',
      phone: '+39 02 1234 5678',
      phoneHours: channels.phoneHours,
    });
    const bad = await admin.put('/api/v1/admin/marketplaces/IT/help-channels', {
      ...channels,
      phoneHours: { days: [1], opens: '18:00', closes: '09:00' },
    });
    expect(errorCode(bad)).toBe('validation_failed');
    expect(errorCode(await buyer.put('/api/v1/admin/marketplaces/IT/help-channels', channels))).toBe(
      'forbidden',
    );
    expect(errorCode(await admin.put('/api/v1/admin/marketplaces/ZZ/help-channels', channels))).toBe(
      'not_found',
    );
  });
});

describe('widget origins (admin API, public read)', () => {
  it('lets an admin set the allowed site origins, which the public read and the framed page use', async () => {
    const admin = await t.user('admin');
    const res = await admin.put('/api/v1/admin/marketplaces/IT/widget-origins', {
      origins: ['https://shop.example.it', 'http://localhost:8080', 'https://shop.example.it'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      marketplace: 'IT',
      origins: ['https://shop.example.it', 'http://localhost:8080'],
    });
    expect((await t.anonymous().get('/api/v1/help/IT/widget')).json().origins).toEqual([
      'https://shop.example.it',
      'http://localhost:8080',
    ]);
    expect((await t.anonymous().get('/api/v1/help/ES/widget')).json().origins).toEqual([]);
  });

  it('refuses anything but an exact http(s) origin, and changes nothing then', async () => {
    const admin = await t.user('admin');
    for (const origin of [
      'https://shop.example.it/',
      'https://shop.example.it/path',
      'javascript:alert(1)',
      '*',
      'shop.example.it',
    ])
      expect(
        errorCode(await admin.put('/api/v1/admin/marketplaces/IT/widget-origins', { origins: [origin] })),
        origin,
      ).toBe('validation_failed');
    expect((await t.anonymous().get('/api/v1/help/IT/widget')).json().origins).toContain(
      'https://shop.example.it',
    );
  });

  it('refuses the origins API to a seller, an agent, a buyer and anonymous callers', async () => {
    const body = { origins: ['https://evil.example'] };
    for (const [who, client, code] of [
      ['seller', await t.user('seller', { sellerExternalId: 'S-A' }), 'forbidden'],
      ['agent', await t.user('agent'), 'forbidden'],
      ['buyer', await t.user('buyer', { buyerExternalId: 'B-1' }), 'forbidden'],
      ['anonymous', t.anonymous(), 'unauthenticated'],
    ] as const)
      expect(errorCode(await client.put('/api/v1/admin/marketplaces/IT/widget-origins', body)), who).toBe(
        code,
      );
    expect((await t.anonymous().get('/api/v1/help/IT/widget')).json().origins).not.toContain(
      'https://evil.example',
    );
  });
});

describe('orderState (pure)', () => {
  const none = { promisedDeliveryDate: null, shippedAt: null, lastEvent: null, lastReturn: null };
  const at = new Date('2026-03-05T10:00:00Z');
  it.each([
    ['no shipment', none, 'preparing'],
    [
      'label only',
      { ...none, shippedAt: at, lastEvent: { code: 'label_created', occurredAt: at } },
      'shipped',
    ],
    ['scanned', { ...none, shippedAt: at, lastEvent: { code: 'picked_up', occurredAt: at } }, 'in_transit'],
    [
      'out',
      { ...none, shippedAt: at, lastEvent: { code: 'out_for_delivery', occurredAt: at } },
      'out_for_delivery',
    ],
    ['past promise', { ...none, promisedDeliveryDate: '2026-03-09', shippedAt: at }, 'late'],
    ['promise is today', { ...none, promisedDeliveryDate: '2026-03-10', shippedAt: at }, 'shipped'],
    [
      'delivered late',
      { ...none, promisedDeliveryDate: '2026-03-01', lastEvent: { code: 'delivered', occurredAt: at } },
      'delivered',
    ],
    ['lost', { ...none, lastEvent: { code: 'lost', occurredAt: at } }, 'delivery_problem'],
    [
      'return pending',
      { ...none, lastReturn: { authorisation: 'pending', receivedAt: null } },
      'return_requested',
    ],
    [
      'return authorised',
      { ...none, lastReturn: { authorisation: 'authorised', receivedAt: null } },
      'return_authorised',
    ],
    ['return received', { ...none, lastReturn: { authorisation: 'authorised', receivedAt: at } }, 'returned'],
    [
      'return rejected, delivered',
      {
        ...none,
        lastEvent: { code: 'delivered', occurredAt: at },
        lastReturn: { authorisation: 'rejected', receivedAt: null },
      },
      'delivered',
    ],
  ] as const)('%s → %s', (_name, facts, state) => {
    expect(orderState(facts, '2026-03-10').state).toBe(state);
  });
});
