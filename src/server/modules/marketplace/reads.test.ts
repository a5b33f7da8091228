import { beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../../test/helpers/app';
import { buyer, marketplaces, order, product, seller } from '../../../../test/helpers/fixtures';

const t = await testApp();
let agent: TestClient;

beforeAll(async () => {
  await t.seed([
    ...marketplaces(),
    seller('S-1', { homeCountry: 'CN' }),
    buyer('B-1'),
    product('P-DE', 'S-1', {
      pages: [
        {
          marketplace: 'DE',
          language: 'de',
          title: 'Wasserkocher',
          bulletPoints: ['1,7 Liter'],
          attributes: { Farbe: 'Silber' },
        },
        { marketplace: 'DE', language: 'zh', title: '电水壶' },
      ],
    }),
    product('P-IT', 'S-1'),
    order('O-1', 'S-1', 'B-1', 'P-IT', {
      lines: [{ lineNo: 1, productExternalId: 'P-IT', units: 3, unitPrice: 123456 }],
      itemsTotal: 370368,
      shippingCharge: 0,
      orderTotal: 370368,
    }),
  ]);
  agent = await t.user('agent');
});

describe('reads for staff', () => {
  it('lists the marketplaces with currency, languages and time zone', async () => {
    const list = (await agent.get('/api/v1/marketplaces')).json();
    expect(list.find((m: { id: string }) => m.id === 'DE')).toMatchObject({
      currency: 'EUR',
      languages: ['de', 'en', 'zh'],
      defaultLanguage: 'de',
      timeZone: 'Europe/Berlin',
    });
  });

  it("shows a marketplace's holidays for a year", async () => {
    const cal = (await agent.get('/api/v1/marketplaces/FR/calendar?year=2026')).json();
    expect(cal.holidays).toContainEqual({ day: '2026-07-14', name: 'Fête nationale' });
    expect(cal.weekendDays).toEqual([6, 7]);
  });

  it('does business-day arithmetic on the marketplace calendar', async () => {
    const date = (await agent.get('/api/v1/marketplaces/IT/business-days?from=2026-04-02&add=2')).json();
    expect(date).toEqual({ date: '2026-04-07', deadline: null });
    const deadline = (
      await agent.get('/api/v1/marketplaces/DE/business-days?from=2026-04-02T10:00:00Z&add=2')
    ).json();
    expect(deadline).toEqual({ date: '2026-04-08', deadline: '2026-04-08T21:59:59.999Z' });
    expect((await agent.get('/api/v1/marketplaces/XX/business-days?from=2026-04-02&add=2')).statusCode).toBe(
      404,
    );
    expect((await agent.get('/api/v1/marketplaces/IT/business-days?from=2026-04-02&add=-1')).statusCode).toBe(
      400,
    );
  });

  it('shows an order with money formatted for the marketplace locale', async () => {
    const o = (await agent.get('/api/v1/orders/O-1')).json();
    expect(o.orderTotal).toEqual({ amount: 370368, currency: 'EUR', formatted: '3.703,68\u00a0€' });
    expect(o.lines[0]).toMatchObject({ title: 'Bollitore in acciaio inox', units: 3 });
    const en = (await agent.get('/api/v1/orders/O-1?locale=en-US')).json();
    expect(en.orderTotal.formatted).toBe('€3,703.68');
  });

  it('serves a detail page in the asked language, else the marketplace default', async () => {
    const zh = (await agent.get('/api/v1/products/P-DE/page?marketplace=DE&language=zh')).json();
    expect(zh).toMatchObject({ language: 'zh', title: '电水壶', languagesAvailable: ['de', 'zh'] });
    const fallback = (await agent.get('/api/v1/products/P-DE/page?marketplace=DE&language=fr')).json();
    expect(fallback).toMatchObject({
      language: 'de',
      title: 'Wasserkocher',
      attributes: { Farbe: 'Silber' },
    });
    expect((await agent.get('/api/v1/products/P-DE/page?marketplace=IT')).statusCode).toBe(404);
  });
});
