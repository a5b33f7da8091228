import { demoMarketplaces } from '../../src/server/modules/marketplace/demo-marketplaces';

// Small hand-made marketplace data for tests that need exact facts.
export const marketplaces = () => demoMarketplaces([2026]);

export const seller = (externalId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'seller',
  externalId,
  name: `Seller ${externalId}`,
  homeCountry: 'IT',
  defaultEmail: `${externalId.toLowerCase()}@sellers.example`,
  languages: ['it', 'en'],
  standing: 'good',
  ...overrides,
});

export const buyer = (externalId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'buyer',
  externalId,
  name: `Buyer ${externalId}`,
  email: `${externalId.toLowerCase()}@buyers.example`,
  language: 'it',
  ...overrides,
});

export const product = (
  externalId: string,
  sellerExternalId: string,
  overrides: Record<string, unknown> = {},
) => ({
  type: 'product',
  externalId,
  sellerExternalId,
  sku: `SKU-${externalId}`,
  category: 'home_kitchen',
  pages: [
    {
      marketplace: 'IT',
      language: 'it',
      title: 'Bollitore in acciaio inox',
      bulletPoints: ['1,7 litri'],
      description: 'Bollitore elettrico.',
    },
  ],
  ...overrides,
});

export const order = (
  externalId: string,
  sellerExternalId: string,
  buyerExternalId: string,
  productExternalId: string,
  overrides: Record<string, unknown> = {},
) => ({
  type: 'order',
  externalId,
  marketplace: 'IT',
  sellerExternalId,
  buyerExternalId,
  fulfilmentChannel: 'seller',
  currency: 'EUR',
  orderedAt: '2026-03-02T10:00:00Z',
  promisedDeliveryDate: '2026-03-06',
  lines: [{ lineNo: 1, productExternalId, units: 2, unitPrice: 1999 }],
  itemsTotal: 3998,
  shippingCharge: 499,
  orderTotal: 4497,
  ...overrides,
});

/** Two sellers, two buyers, one product and one order each: enough to test scoping. */
export const twoSellers = () => [
  ...marketplaces(),
  seller('S-A'),
  seller('S-B', { homeCountry: 'CN', languages: ['zh', 'en'] }),
  buyer('B-1'),
  buyer('B-2'),
  product('P-A', 'S-A'),
  product('P-B', 'S-B'),
  order('O-A', 'S-A', 'B-1', 'P-A'),
  order('O-B', 'S-B', 'B-2', 'P-B'),
];
