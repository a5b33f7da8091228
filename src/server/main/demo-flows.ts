// The demo's chat flows: for one buyer in each marketplace language, an order for every path the chat
// takes (README "Trying the chat"). Pure: the same buyers and clock give the same records, and the ids
// never change, so loading them twice writes nothing new.
import type {
  CarrierEvent,
  MarketplaceDataRecord,
  OrderRecord,
  ProductRecord,
  ReturnRecord,
  SellerRecord,
} from '../../contracts/marketplace-records';

export const demoFlows = [
  'in_transit',
  'late',
  'delivered',
  'premium',
  'marketplace_shipped',
  'return_refunded',
  'return_on_its_way',
  'seller_not_managed',
] as const;
export type DemoFlow = (typeof demoFlows)[number];

/** One buyer per language, each on the marketplace that speaks it. */
export const demoFlowMarkets = [
  { marketplace: 'IT', language: 'it', login: 'buyer@demo.onbehalf.test' },
  { marketplace: 'ES', language: 'es', login: 'buyer.es@demo.onbehalf.test' },
  { marketplace: 'FR', language: 'fr', login: 'buyer.fr@demo.onbehalf.test' },
  { marketplace: 'DE', language: 'de', login: 'buyer.de@demo.onbehalf.test' },
  { marketplace: 'US', language: 'en', login: 'buyer.en@demo.onbehalf.test' },
] as const;
type Market = (typeof demoFlowMarkets)[number];
type PageLanguage = 'it' | 'es' | 'fr' | 'de' | 'en';

/** Casa Aurora is in the managed service everywhere; Atelier Mistral, an individual account, nowhere. */
export const DEMO_MANAGED_SELLER = 'S-AURORA';
export const DEMO_UNMANAGED_SELLER = 'S-MISTRAL';

/** `901-…`: a first group no seed and not the demo's history (`900-…`) uses; then market and flow. */
export function demoFlowOrderId(marketplace: string, flow: DemoFlow): string {
  const m = demoFlowMarkets.findIndex((x) => x.marketplace === marketplace) + 1;
  const f = demoFlows.indexOf(flow) + 1;
  return `901-000${m}0${f}0-00000${m}${f}`;
}

type Page = {
  title: string;
  bulletPoints: string[];
  description: string;
  attributes: Record<string, string>;
};
type DemoProduct = {
  externalId: string;
  seller: string;
  category: string;
  price: number;
  pages: Record<PageLanguage, Page>;
};

// The backpack's, headphones' and scarf's pages answer the obvious questions (size, material,
// compatibility); the lamp's says almost nothing, so the bot has to ask the seller (K2, K3).
const PRODUCTS = {
  backpack: {
    externalId: 'P-AURORA-BACKPACK',
    seller: DEMO_MANAGED_SELLER,
    category: 'sports_outdoors',
    price: 5990,
    pages: {
      it: {
        title: 'Zaino da escursionismo 30 L',
        bulletPoints: [
          'Dimensioni: 50 × 30 × 20 cm',
          'Materiale: nylon ripstop idrorepellente',
          'Peso: 850 g',
        ],
        description:
          'Zaino da 30 litri per le escursioni di un giorno. Misura 50 × 30 × 20 cm, è in nylon ripstop idrorepellente con schienale in rete traspirante e pesa 850 g. Tasca interna per una sacca idrica fino a 2 litri.',
        attributes: {
          dimensioni: '50 × 30 × 20 cm',
          materiale: 'nylon ripstop',
          peso: '850 g',
          capacità: '30 L',
        },
      },
      es: {
        title: 'Mochila de senderismo 30 L',
        bulletPoints: [
          'Dimensiones: 50 × 30 × 20 cm',
          'Material: nailon ripstop repelente al agua',
          'Peso: 850 g',
        ],
        description:
          'Mochila de 30 litros para excursiones de un día. Mide 50 × 30 × 20 cm, es de nailon ripstop repelente al agua con espalda de malla transpirable y pesa 850 g. Bolsillo interior para un depósito de hidratación de hasta 2 litros.',
        attributes: {
          dimensiones: '50 × 30 × 20 cm',
          material: 'nailon ripstop',
          peso: '850 g',
          capacidad: '30 L',
        },
      },
      fr: {
        title: 'Sac à dos de randonnée 30 L',
        bulletPoints: ['Dimensions : 50 × 30 × 20 cm', 'Matière : nylon ripstop déperlant', 'Poids : 850 g'],
        description:
          'Sac à dos de 30 litres pour les randonnées d’une journée. Il mesure 50 × 30 × 20 cm, il est en nylon ripstop déperlant avec un dos en filet respirant et pèse 850 g. Poche intérieure pour une poche à eau jusqu’à 2 litres.',
        attributes: {
          dimensions: '50 × 30 × 20 cm',
          matière: 'nylon ripstop',
          poids: '850 g',
          capacité: '30 L',
        },
      },
      de: {
        title: 'Wanderrucksack 30 L',
        bulletPoints: [
          'Maße: 50 × 30 × 20 cm',
          'Material: wasserabweisendes Ripstop-Nylon',
          'Gewicht: 850 g',
        ],
        description:
          'Rucksack mit 30 Litern für Tagestouren. Er misst 50 × 30 × 20 cm, besteht aus wasserabweisendem Ripstop-Nylon mit atmungsaktivem Netzrücken und wiegt 850 g. Innenfach für eine Trinkblase bis 2 Liter.',
        attributes: { Maße: '50 × 30 × 20 cm', Material: 'Ripstop-Nylon', Gewicht: '850 g', Volumen: '30 L' },
      },
      en: {
        title: 'Hiking Backpack 30 L',
        bulletPoints: [
          'Dimensions: 50 × 30 × 20 cm',
          'Material: water-repellent ripstop nylon',
          'Weight: 850 g',
        ],
        description:
          'A 30-litre backpack for day hikes. It measures 50 × 30 × 20 cm, is made of water-repellent ripstop nylon with a breathable mesh back, and weighs 850 g. Inner sleeve for a hydration bladder up to 2 litres.',
        attributes: {
          dimensions: '50 × 30 × 20 cm',
          material: 'ripstop nylon',
          weight: '850 g',
          capacity: '30 L',
        },
      },
    },
  },
  headphones: {
    externalId: 'P-AURORA-HEADPHONES',
    seller: DEMO_MANAGED_SELLER,
    category: 'electronics',
    price: 7990,
    pages: {
      it: {
        title: 'Cuffie Bluetooth over-ear',
        bulletPoints: [
          'Compatibili con iPhone, Android, Windows e Mac (Bluetooth 5.3)',
          'Autonomia fino a 40 ore',
          'Cavo jack 3,5 mm incluso',
        ],
        description:
          'Cuffie over-ear con cancellazione attiva del rumore. Si collegano via Bluetooth 5.3 a iPhone, telefoni Android, PC Windows e Mac, oppure con il cavo jack da 3,5 mm incluso. Autonomia fino a 40 ore, ricarica USB-C.',
        attributes: {
          compatibilità: 'iPhone, Android, Windows, Mac',
          connessione: 'Bluetooth 5.3, jack 3,5 mm',
        },
      },
      es: {
        title: 'Auriculares Bluetooth de diadema',
        bulletPoints: [
          'Compatibles con iPhone, Android, Windows y Mac (Bluetooth 5.3)',
          'Autonomía de hasta 40 horas',
          'Cable jack de 3,5 mm incluido',
        ],
        description:
          'Auriculares de diadema con cancelación activa de ruido. Se conectan por Bluetooth 5.3 a iPhone, móviles Android, PC con Windows y Mac, o con el cable jack de 3,5 mm incluido. Autonomía de hasta 40 horas, carga por USB-C.',
        attributes: {
          compatibilidad: 'iPhone, Android, Windows, Mac',
          conexión: 'Bluetooth 5.3, jack 3,5 mm',
        },
      },
      fr: {
        title: 'Casque Bluetooth circum-auriculaire',
        bulletPoints: [
          'Compatible iPhone, Android, Windows et Mac (Bluetooth 5.3)',
          'Autonomie jusqu’à 40 heures',
          'Câble jack 3,5 mm fourni',
        ],
        description:
          'Casque circum-auriculaire à réduction active du bruit. Il se connecte en Bluetooth 5.3 à l’iPhone, aux téléphones Android, aux PC Windows et aux Mac, ou avec le câble jack 3,5 mm fourni. Autonomie jusqu’à 40 heures, recharge USB-C.',
        attributes: {
          compatibilité: 'iPhone, Android, Windows, Mac',
          connexion: 'Bluetooth 5.3, jack 3,5 mm',
        },
      },
      de: {
        title: 'Bluetooth-Over-Ear-Kopfhörer',
        bulletPoints: [
          'Kompatibel mit iPhone, Android, Windows und Mac (Bluetooth 5.3)',
          'Akkulaufzeit bis zu 40 Stunden',
          '3,5-mm-Klinkenkabel enthalten',
        ],
        description:
          'Over-Ear-Kopfhörer mit aktiver Geräuschunterdrückung. Sie verbinden sich per Bluetooth 5.3 mit iPhone, Android-Handys, Windows-PCs und Macs oder über das mitgelieferte 3,5-mm-Klinkenkabel. Akkulaufzeit bis zu 40 Stunden, Laden über USB-C.',
        attributes: {
          Kompatibilität: 'iPhone, Android, Windows, Mac',
          Verbindung: 'Bluetooth 5.3, 3,5-mm-Klinke',
        },
      },
      en: {
        title: 'Bluetooth Over-Ear Headphones',
        bulletPoints: [
          'Compatible with iPhone, Android, Windows and Mac (Bluetooth 5.3)',
          'Battery life up to 40 hours',
          '3.5 mm jack cable included',
        ],
        description:
          'Over-ear headphones with active noise cancelling. They connect over Bluetooth 5.3 to iPhone, Android phones, Windows PCs and Macs, or with the included 3.5 mm jack cable. Up to 40 hours of battery, USB-C charging.',
        attributes: {
          compatibility: 'iPhone, Android, Windows, Mac',
          connection: 'Bluetooth 5.3, 3.5 mm jack',
        },
      },
    },
  },
  lamp: {
    externalId: 'P-AURORA-LAMP',
    seller: DEMO_MANAGED_SELLER,
    category: 'home_kitchen',
    price: 3490,
    pages: {
      it: {
        title: 'Lampada da scrivania LED',
        bulletPoints: ['Luce calda'],
        description: 'Una lampada da scrivania dal design essenziale.',
        attributes: {},
      },
      es: {
        title: 'Lámpara de escritorio LED',
        bulletPoints: ['Luz cálida'],
        description: 'Una lámpara de escritorio de diseño sencillo.',
        attributes: {},
      },
      fr: {
        title: 'Lampe de bureau LED',
        bulletPoints: ['Lumière chaude'],
        description: 'Une lampe de bureau au design épuré.',
        attributes: {},
      },
      de: {
        title: 'LED-Schreibtischlampe',
        bulletPoints: ['Warmes Licht'],
        description: 'Eine Schreibtischlampe in schlichtem Design.',
        attributes: {},
      },
      en: {
        title: 'LED Desk Lamp',
        bulletPoints: ['Warm light'],
        description: 'A desk lamp with a simple design.',
        attributes: {},
      },
    },
  },
  scarf: {
    externalId: 'P-MISTRAL-SCARF',
    seller: DEMO_UNMANAGED_SELLER,
    category: 'clothing',
    price: 2990,
    pages: {
      it: {
        title: 'Sciarpa in lana merino',
        bulletPoints: ['100% lana merino', '180 × 30 cm'],
        description: 'Sciarpa morbida in pura lana merino, 180 × 30 cm.',
        attributes: { materiale: 'lana merino', dimensioni: '180 × 30 cm' },
      },
      es: {
        title: 'Bufanda de lana merina',
        bulletPoints: ['100 % lana merina', '180 × 30 cm'],
        description: 'Bufanda suave de pura lana merina, 180 × 30 cm.',
        attributes: { material: 'lana merina', dimensiones: '180 × 30 cm' },
      },
      fr: {
        title: 'Écharpe en laine mérinos',
        bulletPoints: ['100 % laine mérinos', '180 × 30 cm'],
        description: 'Écharpe douce en pure laine mérinos, 180 × 30 cm.',
        attributes: { matière: 'laine mérinos', dimensions: '180 × 30 cm' },
      },
      de: {
        title: 'Schal aus Merinowolle',
        bulletPoints: ['100 % Merinowolle', '180 × 30 cm'],
        description: 'Weicher Schal aus reiner Merinowolle, 180 × 30 cm.',
        attributes: { Material: 'Merinowolle', Maße: '180 × 30 cm' },
      },
      en: {
        title: 'Merino Wool Scarf',
        bulletPoints: ['100% merino wool', '180 × 30 cm'],
        description: 'A soft scarf of pure merino wool, 180 × 30 cm.',
        attributes: { material: 'merino wool', dimensions: '180 × 30 cm' },
      },
    },
  },
} satisfies Record<string, DemoProduct>;
type ProductKey = keyof typeof PRODUCTS;

/** Which product page answers which question, for the README's table and the tests. */
export const demoProductAnswers = {
  answers: PRODUCTS.backpack.externalId,
  doesNotAnswer: PRODUCTS.lamp.externalId,
} as const;

// The languages of each marketplace's pages (the DE marketplace also reads English, the US Spanish).
const PAGE_LANGUAGES: Record<string, PageLanguage[]> = {
  IT: ['it'],
  ES: ['es'],
  FR: ['fr'],
  DE: ['de', 'en'],
  US: ['en', 'es'],
};
const CARRIER: Record<string, { name: string; cities: [string, string, string] }> = {
  IT: { name: 'BRT', cities: ['Milano', 'Bologna', 'Roma'] },
  ES: { name: 'SEUR', cities: ['Barcelona', 'Zaragoza', 'Madrid'] },
  FR: { name: 'Colissimo', cities: ['Lyon', 'Orléans', 'Paris'] },
  DE: { name: 'DHL', cities: ['München', 'Leipzig', 'Hamburg'] },
  US: { name: 'UPS', cities: ['Newark, NJ', 'Louisville, KY', 'Chicago, IL'] },
};

/** Days before now (negative: after); a shipment's scans, each a number of days ago. */
type FlowSpec = {
  seller: string;
  channel: OrderRecord['fulfilmentChannel'];
  product: ProductKey;
  orderedDaysAgo: number;
  promisedDaysAgo: number;
  shippedDaysAgo: number;
  scans: [CarrierEvent['code'], number][];
  return?: {
    reason: ReturnRecord['reason'];
    requestedDaysAgo: number;
    scans: [CarrierEvent['code'], number][];
    refundedDaysAgo: number | null;
  };
};

const scansThrough = (picked: number, transit: number, facility: number) =>
  [
    ['picked_up', picked],
    ['in_transit', transit],
    ['arrived_at_facility', facility],
  ] as [CarrierEvent['code'], number][];
const deliveredAfter = (picked: number, delivered: number) =>
  [
    ...scansThrough(picked, picked - (picked - delivered) * 0.3, picked - (picked - delivered) * 0.6),
    ['out_for_delivery', delivered + 0.2],
    ['delivered', delivered],
  ] as [CarrierEvent['code'], number][];

const FLOWS: Record<DemoFlow, FlowSpec> = {
  // Scanned and under way, due in two days.
  in_transit: {
    seller: DEMO_MANAGED_SELLER,
    channel: 'seller',
    product: 'headphones',
    orderedDaysAgo: 2,
    promisedDaysAgo: -2,
    shippedDaysAgo: 1.6,
    scans: scansThrough(1.5, 1, 0.3),
  },
  // Promised five days ago, last scanned a week ago: later than promised.
  late: {
    seller: DEMO_MANAGED_SELLER,
    channel: 'seller',
    product: 'lamp',
    orderedDaysAgo: 12,
    promisedDaysAgo: 5,
    shippedDaysAgo: 11,
    scans: scansThrough(10.9, 10, 7),
  },
  // Delivered on time four days ago: well inside the 30-day return window.
  delivered: {
    seller: DEMO_MANAGED_SELLER,
    channel: 'seller',
    product: 'backpack',
    orderedDaysAgo: 7,
    promisedDaysAgo: 4,
    shippedDaysAgo: 6.5,
    scans: deliveredAfter(6.4, 4),
  },
  // Premium seller-fulfilled: always the marketplace's, though its seller is not in the service (R6).
  premium: {
    seller: DEMO_UNMANAGED_SELLER,
    channel: 'premium_seller',
    product: 'scarf',
    orderedDaysAgo: 4,
    promisedDaysAgo: 2,
    shippedDaysAgo: 3.8,
    scans: deliveredAfter(3.7, 2),
  },
  // Shipped by the marketplace: its own fulfilment service answers (R4).
  marketplace_shipped: {
    seller: DEMO_MANAGED_SELLER,
    channel: 'marketplace',
    product: 'backpack',
    orderedDaysAgo: 1,
    promisedDaysAgo: -1,
    shippedDaysAgo: 0.8,
    scans: scansThrough(0.7, 0.5, 0.2),
  },
  // Returned as defective, received at the seller's warehouse and refunded.
  return_refunded: {
    seller: DEMO_MANAGED_SELLER,
    channel: 'seller',
    product: 'headphones',
    orderedDaysAgo: 24,
    promisedDaysAgo: 20,
    shippedDaysAgo: 23,
    scans: deliveredAfter(22.9, 20),
    return: {
      reason: 'defective',
      requestedDaysAgo: 14,
      scans: deliveredAfter(12, 9),
      refundedDaysAgo: 7,
    },
  },
  // A return on its way back: the refund follows its receipt at the seller's warehouse.
  return_on_its_way: {
    seller: DEMO_MANAGED_SELLER,
    channel: 'seller',
    product: 'backpack',
    orderedDaysAgo: 14,
    promisedDaysAgo: 10,
    shippedDaysAgo: 13,
    scans: deliveredAfter(12.9, 10),
    return: {
      reason: 'no_longer_needed',
      requestedDaysAgo: 3,
      scans: scansThrough(2, 1.5, 0.5),
      refundedDaysAgo: null,
    },
  },
  // The seller answers its own buyers: the bot says so and opens the buyer–seller thread.
  seller_not_managed: {
    seller: DEMO_UNMANAGED_SELLER,
    channel: 'seller',
    product: 'scarf',
    orderedDaysAgo: 8,
    promisedDaysAgo: 5,
    shippedDaysAgo: 7.5,
    scans: deliveredAfter(7.4, 5),
  },
};

const DAY = 86_400_000;

/** The flows' sellers, products, orders, shipments and returns; `buyers` maps a marketplace to its buyer. */
export function demoFlowRecords(now: Date, buyers: Record<string, string>): MarketplaceDataRecord[] {
  // Whole seconds, as carriers report them.
  const ago = (days: number) =>
    new Date(Math.floor((now.getTime() - days * DAY) / 1000) * 1000).toISOString();
  const sellers: SellerRecord[] = [
    {
      type: 'seller',
      externalId: DEMO_MANAGED_SELLER,
      name: 'Casa Aurora',
      homeCountry: 'IT',
      defaultEmail: 'orders+casa-aurora@sellers.example',
      languages: ['it', 'en'],
      standing: 'good',
      accountType: 'professional',
    },
    {
      type: 'seller',
      externalId: DEMO_UNMANAGED_SELLER,
      name: 'Atelier Mistral',
      homeCountry: 'FR',
      defaultEmail: 'orders+atelier-mistral@sellers.example',
      languages: ['fr', 'en'],
      standing: 'good',
      // An individual account may not join the managed service, so no marketplace enrols it (P4).
      accountType: 'individual',
    },
  ];
  const products: ProductRecord[] = Object.values(PRODUCTS).map((p) => ({
    type: 'product',
    externalId: p.externalId,
    sellerExternalId: p.seller,
    sku: p.externalId.replace(/^P-/, 'SKU-'),
    category: p.category,
    returnable: true,
    customisable: false,
    pages: Object.entries(PAGE_LANGUAGES).flatMap(([marketplace, languages]) =>
      languages.map((language) => ({ marketplace, language, ...p.pages[language] })),
    ),
  }));
  const records: MarketplaceDataRecord[] = [...sellers, ...products];
  for (const market of demoFlowMarkets) {
    const buyer = buyers[market.marketplace];
    if (!buyer) continue;
    for (const flow of demoFlows) records.push(...flowRecords(market, flow, buyer, ago));
  }
  return records;
}

function flowRecords(
  market: Market,
  flow: DemoFlow,
  buyerExternalId: string,
  ago: (days: number) => string,
): MarketplaceDataRecord[] {
  const spec = FLOWS[flow];
  const product = PRODUCTS[spec.product];
  const orderId = demoFlowOrderId(market.marketplace, flow);
  const carrier = CARRIER[market.marketplace]!;
  const shippingCharge = spec.channel === 'seller' && product.price < 3900 ? 399 : 0;
  const events = (scans: FlowSpec['scans'], labelDaysAgo: number): CarrierEvent[] => [
    { code: 'label_created', occurredAt: ago(labelDaysAgo), location: null, detail: null },
    ...scans.map(([code, days], i) => ({
      code,
      occurredAt: ago(days),
      location: carrier.cities[Math.min(i, 2)]!,
      detail: null,
    })),
  ];
  const tracking = (kind: number) =>
    `${carrier.name.slice(0, 2).toUpperCase()}9${kind}${orderId.replace(/\D/g, '').slice(3, 12)}`;
  const records: MarketplaceDataRecord[] = [
    {
      type: 'order',
      externalId: orderId,
      marketplace: market.marketplace,
      sellerExternalId: spec.seller,
      buyerExternalId,
      fulfilmentChannel: spec.channel,
      currency: market.marketplace === 'US' ? 'USD' : 'EUR',
      orderedAt: ago(spec.orderedDaysAgo),
      promisedDeliveryDate: ago(spec.promisedDaysAgo).slice(0, 10),
      isPreorder: false,
      lines: [{ lineNo: 1, productExternalId: product.externalId, units: 1, unitPrice: product.price }],
      itemsTotal: product.price,
      shippingCharge,
      orderTotal: product.price + shippingCharge,
    },
    {
      type: 'shipment',
      externalId: `SH-${orderId}`,
      orderExternalId: orderId,
      carrier: carrier.name,
      trackingNumber: tracking(0),
      shippedAt: ago(spec.shippedDaysAgo),
      events: events(spec.scans, spec.shippedDaysAgo + 0.05),
    },
  ];
  const r = spec.return;
  if (r) {
    const returnEvents = events(r.scans, r.scans[0]![1] + 0.1);
    const received = returnEvents.find((e) => e.code === 'delivered');
    records.push({
      type: 'return',
      externalId: `R-${orderId}`,
      orderExternalId: orderId,
      reason: r.reason,
      requestedAt: ago(r.requestedDaysAgo),
      authorisation: 'authorised',
      authorisedAt: ago(r.requestedDaysAgo - 0.001),
      carrier: carrier.name,
      trackingNumber: tracking(1),
      receivedAt: received?.occurredAt ?? null,
      refundedAt: r.refundedDaysAgo === null ? null : ago(r.refundedDaysAgo),
      lines: [{ lineNo: 1, units: 1 }],
      events: returnEvents,
    });
  }
  return records;
}
