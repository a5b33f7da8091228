// A deterministic generator of realistic marketplace activity: the same seed and clock give the
// same records, byte for byte. It yields records one at a time, so millions fit in little memory.
import type {
  CarrierEvent,
  MarketplaceDataRecord,
  OrderRecord,
  ProductRecord,
  ReturnRecord,
  SellerRecord,
  ShipmentRecord,
} from '../../../contracts/marketplace-records';
import { demoMarketplaces } from './demo-marketplaces';

export type SimulationOptions = {
  orders: number;
  seed?: number;
  /** The simulated "now": orders are spread over the 120 days before it. */
  until?: Date;
  sellers?: number;
  /** The demo's records: ids of their own, which no seed's ever meet. */
  demo?: boolean;
};

/** sfc32: small, fast, and good enough for test data; seeded through splitmix32. */
export function createRandom(seed: number) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
export type Random = ReturnType<typeof createRandom>;

type Lang = 'en' | 'it' | 'es' | 'fr' | 'de' | 'zh';
type Category = {
  code: string;
  price: [number, number];
  returnable: boolean;
  customisable?: boolean;
  names: Record<Lang, string[]>;
  bullets: Record<Lang, string[]>;
};

const CATEGORIES: Category[] = [
  {
    code: 'home_kitchen',
    price: [899, 12900],
    returnable: true,
    names: {
      en: ['Stainless Steel Kettle 1.7 L', 'Non-stick Frying Pan 28 cm', 'Bamboo Cutting Board Set'],
      it: ['Bollitore in acciaio inox 1,7 L', 'Padella antiaderente 28 cm', 'Set taglieri in bambù'],
      es: ['Hervidor de acero inoxidable 1,7 L', 'Sartén antiadherente 28 cm', 'Juego de tablas de bambú'],
      fr: ['Bouilloire inox 1,7 L', 'Poêle antiadhésive 28 cm', 'Lot de planches à découper en bambou'],
      de: ['Edelstahl-Wasserkocher 1,7 L', 'Antihaft-Bratpfanne 28 cm', 'Bambus-Schneidebrett-Set'],
      zh: ['不锈钢电水壶 1.7升', '不粘煎锅 28厘米', '竹制砧板套装'],
    },
    bullets: {
      en: ['Dishwasher safe', 'Two-year warranty'],
      it: ['Lavabile in lavastoviglie', 'Garanzia di due anni'],
      es: ['Apto para lavavajillas', 'Garantía de dos años'],
      fr: ['Compatible lave-vaisselle', 'Garantie deux ans'],
      de: ['Spülmaschinenfest', 'Zwei Jahre Garantie'],
      zh: ['可用洗碗机清洗', '两年保修'],
    },
  },
  {
    code: 'electronics',
    price: [1499, 39900],
    returnable: true,
    names: {
      en: ['Wireless Earbuds with Charging Case', 'USB-C Charger 65 W', 'Bluetooth Speaker Waterproof'],
      it: [
        'Auricolari wireless con custodia di ricarica',
        'Caricatore USB-C 65 W',
        'Altoparlante Bluetooth impermeabile',
      ],
      es: [
        'Auriculares inalámbricos con estuche de carga',
        'Cargador USB-C 65 W',
        'Altavoz Bluetooth resistente al agua',
      ],
      fr: ['Écouteurs sans fil avec boîtier de charge', 'Chargeur USB-C 65 W', 'Enceinte Bluetooth étanche'],
      de: ['Kabellose Ohrhörer mit Ladecase', 'USB-C-Ladegerät 65 W', 'Wasserdichter Bluetooth-Lautsprecher'],
      zh: ['带充电盒的无线耳机', 'USB-C 65瓦充电器', '防水蓝牙音箱'],
    },
    bullets: {
      en: ['Battery life up to 24 hours', 'Compatible with iOS and Android'],
      it: ['Autonomia fino a 24 ore', 'Compatibile con iOS e Android'],
      es: ['Batería de hasta 24 horas', 'Compatible con iOS y Android'],
      fr: ['Autonomie jusqu’à 24 heures', 'Compatible iOS et Android'],
      de: ['Akkulaufzeit bis zu 24 Stunden', 'Kompatibel mit iOS und Android'],
      zh: ['续航长达24小时', '兼容iOS和Android'],
    },
  },
  {
    code: 'clothing',
    price: [999, 8900],
    returnable: true,
    names: {
      en: ['Merino Wool Sweater', 'Running Shoes Lightweight', 'Waterproof Rain Jacket'],
      it: ['Maglione in lana merino', 'Scarpe da corsa leggere', 'Giacca antipioggia impermeabile'],
      es: ['Jersey de lana merina', 'Zapatillas de running ligeras', 'Chaqueta impermeable'],
      fr: ['Pull en laine mérinos', 'Chaussures de running légères', 'Veste de pluie imperméable'],
      de: ['Merinowollpullover', 'Leichte Laufschuhe', 'Wasserdichte Regenjacke'],
      zh: ['美利奴羊毛衫', '轻量跑鞋', '防水雨衣'],
    },
    bullets: {
      en: ['Sizes XS to XXL', 'Machine washable at 30 °C'],
      it: ['Taglie dalla XS alla XXL', 'Lavabile in lavatrice a 30 °C'],
      es: ['Tallas de XS a XXL', 'Lavable a máquina a 30 °C'],
      fr: ['Tailles XS à XXL', 'Lavable en machine à 30 °C'],
      de: ['Größen XS bis XXL', 'Maschinenwaschbar bei 30 °C'],
      zh: ['尺码XS至XXL', '可30°C机洗'],
    },
  },
  {
    code: 'personalised_gifts',
    price: [1299, 4900],
    returnable: false,
    customisable: true,
    names: {
      en: ['Engraved Wooden Photo Frame', 'Custom Name Necklace'],
      it: ['Cornice in legno incisa', 'Collana con nome personalizzato'],
      es: ['Marco de fotos de madera grabado', 'Collar con nombre personalizado'],
      fr: ['Cadre photo en bois gravé', 'Collier prénom personnalisé'],
      de: ['Gravierter Holz-Bilderrahmen', 'Namenskette personalisiert'],
      zh: ['刻字木质相框', '定制名字项链'],
    },
    bullets: {
      en: ['Personalised with your text', 'Made to order in 3 days'],
      it: ['Personalizzato con il tuo testo', 'Realizzato su ordinazione in 3 giorni'],
      es: ['Personalizado con tu texto', 'Hecho por encargo en 3 días'],
      fr: ['Personnalisé avec votre texte', 'Fabriqué sur commande en 3 jours'],
      de: ['Mit Ihrem Text personalisiert', 'In 3 Tagen auf Bestellung gefertigt'],
      zh: ['按您的文字定制', '3天内定做'],
    },
  },
  {
    code: 'toys_games',
    price: [799, 6900],
    returnable: true,
    names: {
      en: ['Wooden Building Blocks 100 pcs', 'Family Board Game'],
      it: ['Costruzioni in legno 100 pezzi', 'Gioco da tavolo per famiglie'],
      es: ['Bloques de construcción de madera 100 piezas', 'Juego de mesa familiar'],
      fr: ['Jeu de construction en bois 100 pièces', 'Jeu de société familial'],
      de: ['Holzbausteine 100 Teile', 'Familien-Brettspiel'],
      zh: ['木制积木100块', '家庭桌游'],
    },
    bullets: {
      en: ['For ages 3 and up', 'Non-toxic paints'],
      it: ['Dai 3 anni in su', 'Vernici atossiche'],
      es: ['A partir de 3 años', 'Pinturas no tóxicas'],
      fr: ['Dès 3 ans', 'Peintures non toxiques'],
      de: ['Ab 3 Jahren', 'Ungiftige Farben'],
      zh: ['适合3岁以上', '无毒涂料'],
    },
  },
];

const CARRIERS: Record<string, string[]> = {
  US: ['UPS', 'USPS', 'FedEx'],
  IT: ['BRT', 'Poste Italiane', 'GLS'],
  ES: ['Correos', 'SEUR', 'MRW'],
  FR: ['Colissimo', 'Chronopost', 'DPD'],
  DE: ['DHL', 'Hermes', 'DPD'],
};
const CITIES: Record<string, string[]> = {
  US: ['Louisville, KY', 'Memphis, TN', 'Chicago, IL', 'Newark, NJ'],
  IT: ['Milano', 'Bologna', 'Roma', 'Napoli'],
  ES: ['Madrid', 'Barcelona', 'Zaragoza', 'Valencia'],
  FR: ['Paris', 'Lyon', 'Lille', 'Marseille'],
  DE: ['Leipzig', 'Hamburg', 'Köln', 'München'],
};
const FIRST_NAMES: Record<string, string[]> = {
  US: ['James', 'Mary', 'Robert', 'Patricia', 'Jennifer', 'Michael', 'Linda', 'Carlos'],
  IT: ['Giulia', 'Marco', 'Francesca', 'Luca', 'Chiara', 'Alessandro', 'Sara', 'Matteo'],
  ES: ['Lucía', 'Hugo', 'Martina', 'Pablo', 'Carmen', 'Javier', 'Elena', 'Diego'],
  FR: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Manon', 'Jules', 'Léa', 'Arthur'],
  DE: ['Anna', 'Lukas', 'Lena', 'Jonas', 'Mia', 'Felix', 'Hannah', 'Paul'],
};
const LAST_NAMES: Record<string, string[]> = {
  US: ['Smith', 'Johnson', 'Garcia', 'Miller', 'Davis', 'Lopez'],
  IT: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano'],
  ES: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez'],
  FR: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard'],
  DE: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer'],
};
const DIAL: Record<string, string> = { US: '+1', IT: '+39', ES: '+34', FR: '+33', DE: '+49' };

// Where sellers come from and where they sell (SPEC R5: US→US, CN→US, DE→DE, CN→DE, …).
const SELLER_ORIGINS: { home: string; sellsIn: string[]; languages: string[]; weight: number }[] = [
  { home: 'US', sellsIn: ['US'], languages: ['en'], weight: 3 },
  { home: 'CN', sellsIn: ['US', 'DE'], languages: ['zh', 'en'], weight: 3 },
  { home: 'IT', sellsIn: ['IT', 'FR', 'DE', 'ES'], languages: ['it', 'en'], weight: 2 },
  { home: 'ES', sellsIn: ['ES', 'FR', 'IT'], languages: ['es'], weight: 2 },
  { home: 'FR', sellsIn: ['FR', 'IT', 'ES'], languages: ['fr'], weight: 2 },
  { home: 'DE', sellsIn: ['DE', 'FR', 'IT'], languages: ['de', 'en'], weight: 2 },
];
const SELLER_WORDS = [
  'Nova',
  'Alpina',
  'Sole',
  'Blue Harbor',
  'Kaiser',
  'Lumière',
  'Brisa',
  'Golden Dragon',
  'Maple',
  'Vento',
];
const SELLER_KINDS = ['Trading', 'Home', 'Goods', 'Store', 'Outlet', 'Direct'];

const DAY = 86_400_000;
const DEFAULT_UNTIL = new Date('2026-11-20T12:00:00Z');
const MARKET_LANGS: Record<string, Lang[]> = {
  US: ['en', 'es'],
  IT: ['it'],
  ES: ['es'],
  FR: ['fr'],
  DE: ['de', 'en', 'zh'],
};

/**
 * The ids of one source of simulated records: the demo's, or one seed's. They never meet, so
 * importing a simulation into a database that holds the demo (or another seed) adds to it and
 * never overwrites it. The demo keeps the plain ids; a seed's carry it (S7-000001, B-7-IT-0000001).
 * Order numbers keep the marketplaces' pattern: the first group is the source (900 for the demo),
 * the second the order's index (up to 10⁷ orders), and the third mixes in the seed, so that any two
 * of the 2³² seeds differ in the first or third group.
 */
export function simulatedIds(source: 'demo' | number) {
  const seed = source === 'demo' ? 0 : source >>> 0;
  const tag = source === 'demo' ? '' : `${seed}-`;
  const group = source === 'demo' ? 900 : 100 + (seed % 800);
  return {
    seller: (i: number) => `S${tag}${String(i + 1).padStart(6, '0')}`,
    product: (seller: number, j: number) => `P${tag}${String(seller + 1).padStart(6, '0')}-${j + 1}`,
    buyer: (market: string, i: number) => `B-${tag}${market}-${String(i + 1).padStart(7, '0')}`,
    // A caller's number identifies the buyer on the phone, so the seed is mixed into the numbers too.
    phone: (market: string, i: number) =>
      `${DIAL[market]}${200_000_000 + ((i * 7_654_321 + seed * 104_729) % 699_999_999)}`,
    order: (i: number) =>
      `${group}-${String(1_000_000 + i).slice(-7)}-${String(1_000_003 + ((i * 7919 + seed * 104_729) % 8_999_991)).slice(-7)}`,
  };
}

type SimSeller = { index: number; home: string; sellsIn: string[]; products: number; premium: boolean };

/** All records of a simulated marketplace: reference data first, then each order with its shipment and return. */
export function* simulate(options: SimulationOptions): Generator<MarketplaceDataRecord> {
  const rnd = createRandom(options.seed ?? 1);
  const ids = simulatedIds(options.demo ? 'demo' : (options.seed ?? 1));
  const until = (options.until ?? DEFAULT_UNTIL).getTime();
  const orderCount = Math.max(0, Math.floor(options.orders));
  const sellerCount = options.sellers ?? Math.max(6, Math.min(20_000, Math.ceil(orderCount / 150)));
  const buyersPerMarket = Math.max(5, Math.ceil(orderCount / 15));

  yield* demoMarketplaces();

  const totalWeight = SELLER_ORIGINS.reduce((s, o) => s + o.weight, 0);
  const sellers: SimSeller[] = [];
  for (let i = 0; i < sellerCount; i++) {
    // The first sellers cover each origin, so even a tiny simulation has CN sellers in US and DE.
    let origin = SELLER_ORIGINS[i % SELLER_ORIGINS.length]!;
    if (i >= SELLER_ORIGINS.length) origin = weightedPick(rnd, SELLER_ORIGINS, totalWeight);
    // Every seller sells in its first marketplace; some also abroad, and the first of each origin everywhere it may.
    const sellsIn = origin.sellsIn.filter(
      (_market, k) => k === 0 || i < SELLER_ORIGINS.length || rnd.chance(0.5),
    );
    const seller: SimSeller = {
      index: i,
      home: origin.home,
      sellsIn,
      products: rnd.int(3, 12),
      premium: rnd.chance(0.25),
    };
    sellers.push(seller);
    const name = `${rnd.pick(SELLER_WORDS)} ${rnd.pick(SELLER_KINDS)} ${i + 1}`;
    const record: SellerRecord = {
      type: 'seller',
      externalId: ids.seller(i),
      name,
      homeCountry: origin.home,
      defaultEmail: `orders+${ids.seller(i).toLowerCase()}@sellers.example`,
      languages: origin.languages,
      standing: rnd.chance(0.93) ? 'good' : rnd.chance(0.7) ? 'at_risk' : 'suspended',
      accountType: rnd.chance(0.95) ? 'professional' : 'individual',
    };
    yield record;
  }

  const productCategory = (s: SimSeller, j: number) => CATEGORIES[(s.index * 7 + j * 3) % CATEGORIES.length]!;
  for (const s of sellers) {
    for (let j = 0; j < s.products; j++) {
      const cat = productCategory(s, j);
      const variant = (s.index + j) % cat.names.en.length;
      const product: ProductRecord = {
        type: 'product',
        externalId: ids.product(s.index, j),
        sellerExternalId: ids.seller(s.index),
        sku: `SKU-${s.index + 1}-${j + 1}`,
        category: cat.code,
        returnable: cat.returnable,
        customisable: cat.customisable ?? false,
        pages: s.sellsIn.flatMap((market) =>
          MARKET_LANGS[market]!.map((language) => ({
            marketplace: market,
            language,
            title: cat.names[language][variant]!,
            bulletPoints: cat.bullets[language],
            description: `${cat.names[language][variant]} — ${cat.bullets[language].join('. ')}.`,
            attributes: {
              model: `M${(s.index * 31 + j) % 997}`,
              colour: rnd.pick(['black', 'white', 'blue', 'red', 'grey']),
            },
          })),
        ),
      };
      yield product;
    }
  }

  const markets = Object.keys(MARKET_LANGS);
  for (const market of markets) {
    for (let i = 0; i < buyersPerMarket; i++) {
      const first = rnd.pick(FIRST_NAMES[market]!);
      const last = rnd.pick(LAST_NAMES[market]!);
      yield {
        type: 'buyer',
        externalId: ids.buyer(market, i),
        name: `${first} ${last}`,
        email: `${ids.buyer(market, i).toLowerCase()}@buyers.example`,
        phone: ids.phone(market, i),
        language: MARKET_LANGS[market]![i % 7 === 0 ? MARKET_LANGS[market]!.length - 1 : 0]!,
      };
    }
  }

  for (let i = 0; i < orderCount; i++) {
    const seller = sellers[Math.floor(rnd.next() * rnd.next() * sellers.length)]!; // some sellers sell much more
    const market = rnd.pick(seller.sellsIn);
    const currency = market === 'US' ? 'USD' : 'EUR';
    const orderedAt = until - rnd.next() * 120 * DAY;
    const roll = rnd.next();
    const channel =
      roll < 0.68 ? 'seller' : roll < 0.85 ? 'marketplace' : seller.premium ? 'premium_seller' : 'seller';
    const isPreorder = rnd.chance(0.03);
    const lineCount = rnd.chance(0.75) ? 1 : rnd.int(2, 3);
    const lines: OrderRecord['lines'] = [];
    const used = new Set<number>();
    for (let l = 0; l < lineCount; l++) {
      let j = rnd.int(0, seller.products - 1);
      while (used.has(j)) j = (j + 1) % seller.products;
      used.add(j);
      const cat = productCategory(seller, j);
      lines.push({
        lineNo: l + 1,
        productExternalId: ids.product(seller.index, j),
        units: rnd.chance(0.85) ? 1 : rnd.int(2, 4),
        unitPrice: rnd.int(cat.price[0], cat.price[1]) - (rnd.chance(0.5) ? 1 : 0),
      });
      if (used.size === seller.products) break;
    }
    const itemsTotal = lines.reduce((s, l) => s + l.units * l.unitPrice, 0);
    const shippingCharge = itemsTotal > 3900 || channel !== 'seller' ? 0 : rnd.pick([299, 399, 499, 599]);
    const transitDays = channel === 'seller' ? rnd.int(2, 6) : rnd.int(1, 3);
    const promised = new Date(orderedAt + (transitDays + 1 + (isPreorder ? 30 : 0)) * DAY);
    const orderId = ids.order(i);
    const order: OrderRecord = {
      type: 'order',
      externalId: orderId,
      marketplace: market,
      sellerExternalId: ids.seller(seller.index),
      buyerExternalId: ids.buyer(market, rnd.int(0, buyersPerMarket - 1)),
      fulfilmentChannel: channel,
      currency,
      orderedAt: new Date(orderedAt).toISOString(),
      promisedDeliveryDate: promised.toISOString().slice(0, 10),
      isPreorder,
      lines,
      itemsTotal,
      shippingCharge,
      orderTotal: itemsTotal + shippingCharge,
    };
    yield order;

    // Pre-orders wait for release; the freshest orders are not shipped yet.
    const shippedAt = orderedAt + rnd.int(4, 40) * 3_600_000 + (isPreorder ? 30 * DAY : 0);
    if (shippedAt > until) continue;
    const carrier = rnd.pick(CARRIERS[market]!);
    const neverScanned = rnd.chance(0.04);
    const late = rnd.chance(0.08);
    const lost = !neverScanned && rnd.chance(0.01);
    const events = carrierEvents(rnd, market, shippedAt, promised.getTime(), until, {
      neverScanned,
      late,
      lost,
    });
    const shipment: ShipmentRecord = {
      type: 'shipment',
      externalId: `SH-${orderId}`,
      orderExternalId: orderId,
      carrier,
      trackingNumber: rnd.chance(0.97)
        ? `${carrier.slice(0, 2).toUpperCase()}${String(10_000_000_000 + i * 37).slice(-11)}`
        : null,
      shippedAt: new Date(shippedAt).toISOString(),
      events,
    };
    yield shipment;

    const delivered = events.find((e) => e.code === 'delivered');
    if (!delivered || !rnd.chance(0.09)) continue;
    const requestedAt = Date.parse(delivered.occurredAt) + rnd.int(1, 20) * DAY;
    if (requestedAt > until) continue;
    const reason = rnd.pick([
      'no_longer_needed',
      'no_longer_needed',
      'defective',
      'damaged_in_transit',
      'wrong_item',
      'missing_parts',
      'not_as_described',
      'ordered_by_mistake',
    ] as const);
    const returnShipped = requestedAt + rnd.int(1, 5) * DAY;
    const returnEvents =
      returnShipped < until && rnd.chance(0.9)
        ? carrierEvents(rnd, market, returnShipped, returnShipped + 5 * DAY, until, {
            neverScanned: false,
            late: false,
            lost: false,
          })
        : [];
    const returnDelivered = returnEvents.find((e) => e.code === 'delivered');
    // The platform refunds a received return within a few days: by `until` every one is refunded, so
    // the history holds no receipt still waiting for the seller's refund (SPEC M6, D6).
    const refundedAt = returnDelivered
      ? Math.min(Date.parse(returnDelivered.occurredAt) + (1 + (i % 3)) * DAY, until)
      : null;
    const ret: ReturnRecord = {
      type: 'return',
      externalId: `R-${orderId}`,
      orderExternalId: orderId,
      reason,
      requestedAt: new Date(requestedAt).toISOString(),
      authorisation: 'authorised',
      authorisedAt: new Date(requestedAt + 60_000).toISOString(),
      carrier: returnEvents.length ? rnd.pick(CARRIERS[market]!) : null,
      trackingNumber: returnEvents.length ? `RT${String(20_000_000_000 + i * 41).slice(-11)}` : null,
      receivedAt: returnDelivered?.occurredAt ?? null,
      refundedAt: refundedAt === null ? null : new Date(refundedAt).toISOString(),
      lines: [{ lineNo: 1, units: lines[0]!.units }],
      events: returnEvents,
    };
    yield ret;
  }
}

function weightedPick<T extends { weight: number }>(rnd: Random, items: readonly T[], total: number): T {
  let w = rnd.next() * total;
  for (const item of items) {
    w -= item.weight;
    if (w < 0) return item;
  }
  return items[items.length - 1]!;
}

function carrierEvents(
  rnd: Random,
  market: string,
  shippedAt: number,
  promisedAt: number,
  until: number,
  shape: { neverScanned: boolean; late: boolean; lost: boolean },
): CarrierEvent[] {
  const at = (t: number) => new Date(Math.floor(t / 1000) * 1000).toISOString();
  const events: CarrierEvent[] = [
    { code: 'label_created', occurredAt: at(shippedAt - 3_600_000), location: null, detail: null },
  ];
  if (shape.neverScanned) return events;
  const city = () => rnd.pick(CITIES[market]!);
  const steps: [CarrierEvent['code'], number][] = [['picked_up', shippedAt + 2 * 3_600_000]];
  const arrival = shape.late
    ? promisedAt + rnd.int(1, 6) * DAY
    : Math.min(promisedAt - 3_600_000 * rnd.int(2, 30), promisedAt);
  const span = Math.max(arrival - shippedAt, 6 * 3_600_000);
  steps.push(['in_transit', shippedAt + span * 0.3], ['arrived_at_facility', shippedAt + span * 0.6]);
  if (shape.lost) steps.push(['lost', shippedAt + span * 2]);
  else steps.push(['out_for_delivery', shippedAt + span * 0.95], ['delivered', shippedAt + span]);
  for (const [code, t] of steps) {
    if (t > until) break;
    events.push({ code, occurredAt: at(t), location: city(), detail: null });
  }
  return events;
}
