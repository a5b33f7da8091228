import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type MarketplaceDataRecord, marketplaceDataRecord } from '../../../contracts/marketplace-records';
import { checkOrder } from './record-rules';
import { simulate } from './simulator';

const digest = (records: Iterable<MarketplaceDataRecord>) => {
  const h = createHash('sha256');
  for (const r of records) h.update(JSON.stringify(r));
  return h.digest('hex');
};

describe('marketplace simulator', () => {
  const records = [...simulate({ orders: 2000, seed: 7 })];
  const of = <T extends MarketplaceDataRecord['type']>(type: T) =>
    records.filter((r): r is Extract<MarketplaceDataRecord, { type: T }> => r.type === type);

  it('is deterministic for a seed, and differs between seeds', () => {
    expect(digest(simulate({ orders: 300, seed: 7 }))).toBe(digest(simulate({ orders: 300, seed: 7 })));
    expect(digest(simulate({ orders: 300, seed: 7 }))).not.toBe(digest(simulate({ orders: 300, seed: 8 })));
  });

  it('produces only records that pass the integration schema and the order rules', () => {
    for (const r of records) expect(marketplaceDataRecord.safeParse(r).success).toBe(true);
    const markets = new Map(
      of('marketplace').map((m) => [m.id, { id: m.id, currency: m.currency, languages: m.languages }]),
    );
    for (const o of of('order')) expect(checkOrder(o, markets)).toEqual([]);
    expect(new Set(of('order').map((o) => o.externalId)).size).toBe(2000);
  });

  it('has sellers from several home countries, including CN sellers in US and DE', () => {
    const sellers = of('seller');
    expect(new Set(sellers.map((s) => s.homeCountry))).toEqual(new Set(['US', 'CN', 'IT', 'ES', 'FR', 'DE']));
    const cn = new Set(sellers.filter((s) => s.homeCountry === 'CN').map((s) => s.externalId));
    const cnMarkets = new Set(
      of('order')
        .filter((o) => cn.has(o.sellerExternalId))
        .map((o) => o.marketplace),
    );
    expect(cnMarkets).toEqual(new Set(['US', 'DE']));
  });

  it('writes product pages in every language of each marketplace a product is sold in', () => {
    const de = of('product').flatMap((p) => p.pages.filter((page) => page.marketplace === 'DE'));
    expect(new Set(de.map((p) => p.language))).toEqual(new Set(['de', 'en', 'zh']));
  });

  it('covers the three fulfilment channels, pre-orders, unscanned and late shipments, and returns', () => {
    const orders = of('order');
    const share = (n: number) => n / orders.length;
    expect(new Set(orders.map((o) => o.fulfilmentChannel))).toEqual(
      new Set(['seller', 'marketplace', 'premium_seller']),
    );
    expect(share(orders.filter((o) => o.isPreorder).length)).toBeGreaterThan(0.01);
    const shipments = of('shipment');
    const unscanned = shipments.filter((s) => s.events.every((e) => e.code === 'label_created'));
    expect(unscanned.length / shipments.length).toBeGreaterThan(0.02);
    const promised = new Map(orders.map((o) => [o.externalId, o.promisedDeliveryDate!]));
    const late = shipments.filter((s) => {
      const delivered = s.events.find((e) => e.code === 'delivered');
      return delivered && delivered.occurredAt.slice(0, 10) > promised.get(s.orderExternalId)!;
    });
    expect(late.length / shipments.length).toBeGreaterThan(0.03);
    expect(of('return').length).toBeGreaterThan(50);
    expect(of('return').some((r) => r.receivedAt !== null)).toBe(true);
  });

  it('gives the demo and every seed ids and phone numbers of their own, in the marketplaces’ order number pattern', () => {
    const idsOf = (rs: Iterable<MarketplaceDataRecord>) =>
      new Set(
        [...rs].flatMap((r) => [
          ...('externalId' in r ? [`${r.type}:${r.externalId}`] : []),
          ...(r.type === 'buyer' ? [`phone:${r.phone}`] : []), // a caller's number identifies the buyer
        ]),
      );
    const demo = idsOf(simulate({ orders: 400, sellers: 24, seed: 42, demo: true }));
    const sources = [
      idsOf(records),
      idsOf(simulate({ orders: 400, seed: 42 })),
      idsOf(simulate({ orders: 400, seed: 807 })),
    ];
    for (const [i, ids] of sources.entries()) {
      expect([...ids].filter((id) => demo.has(id))).toEqual([]);
      for (const other of sources.slice(i + 1)) expect([...ids].filter((id) => other.has(id))).toEqual([]);
    }
    const pattern = new RegExp(of('marketplace')[0]!.orderNumberPattern!);
    for (const o of of('order')) expect(o.externalId).toMatch(pattern);
  });

  it('streams: a million orders need not be held in memory', () => {
    const gen = simulate({ orders: 1_000_000, seed: 7 });
    let n = 0;
    for (const r of gen) if (r.type === 'order' && ++n === 10) break;
    expect(n).toBe(10);
  });
});
