// Entities in a buyer's message: order numbers, amounts with currency, dates (relative ones
// resolved against the given clock, in the marketplace's time zone) and e-mail addresses. Pure.
import { addCalendarDays, isoWeekday, type LocalDate, localDateOf } from '../../platform/business-calendar';

export type Entities = {
  /** Order numbers in the marketplace's format. */
  orderNumbers: string[];
  /** Other numbers the buyer calls an order, purchase or parcel ("ordine n. 12345678"): candidates to check against the buyer's orders. */
  orderReferences: string[];
  amounts: { amount: number; currency: string; text: string }[];
  dates: { date: LocalDate; text: string; end?: LocalDate }[];
  emails: string[];
};

export type EntityContext = {
  now: Date;
  timeZone: string;
  /** Currency assumed for a bare amount with a currency word such as "euro" missing. */
  currency: string;
  /** The marketplace's order-number format; defaults to the common 3-7-7 digits. */
  orderNumberPattern?: string | null;
};

const DEFAULT_ORDER_NUMBER = /\b\d{3}-\d{7}-\d{7}\b/g;

// What buyers call an order, in the five languages, and the words for "number" after it ("n.", "n°", "Nr.").
const ORDER_WORDS =
  'orders?|purchases?|parcels?|packages?|shipments?|ordine|ordinazione|acquisto|pacco|spedizione|pedido|compra|paquete|env[ií]o|commande|achat|colis|bestellung|bestellnummer|bestell-?nr|auftrag|auftragsnummer|paket|sendung';
const NUMBER_WORD = 'number|no|nr|num|n[°º]?|n[uú]m[eé]ro|nummer|id';
/**
 * A number of five digits or more (dashes allowed inside) that the buyer calls an order: "purchase
 * 113542617735902", "ordine n. 12345678", "Bestellnummer 3707955617", "commande n° 12345678". Group 1 is
 * everything before the number, group 2 the number.
 */
export const ORDER_REFERENCE = new RegExp(
  String.raw`(\b(?:${ORDER_WORDS})\.?(?:\s*(?:${NUMBER_WORD})(?![a-z])\.?)?\s*[:#]?\s*)(\d[\d-]{3,}\d)(?![\w-])`,
  'giu',
);

/** The numbers the buyer calls an order, whatever their format. */
export const findOrderReferences = (text: string) => [
  ...new Set([...text.matchAll(ORDER_REFERENCE)].map((m) => m[2]!)),
];

/** Whether the message names an order, in the marketplace's format or as a number called an order. */
export const namesAnOrder = (text: string, pattern?: string | null) =>
  findOrderNumbers(text, pattern).length > 0 || findOrderReferences(text).length > 0;

const comparable = (ref: string) => ref.replace(/[^0-9a-z]/gi, '').toUpperCase();

/**
 * The buyer's own order the message refers to: the first order number or candidate reference that is,
 * but for spaces, dashes and case, one of the buyer's order ids. Null when none is.
 */
export function matchBuyerOrder(
  entities: Pick<Entities, 'orderNumbers' | 'orderReferences'>,
  buyerOrderIds: readonly string[],
): string | null {
  const ids = new Map(buyerOrderIds.map((id) => [comparable(id), id]));
  for (const ref of [...entities.orderNumbers, ...entities.orderReferences]) {
    const id = ids.get(comparable(ref));
    if (id) return id;
  }
  return null;
}
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g;

/** Lower-case and strip accents, so "mercredi", "Mércredi" and "MERCREDI" match alike. */
export const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function extractEntities(text: string, ctx: EntityContext): Entities {
  const orderNumbers = findOrderNumbers(text, ctx.orderNumberPattern);
  const orderReferences = findOrderReferences(text).filter((r) => !orderNumbers.includes(r));
  // Order numbers and e-mails are taken out first so their digits are not read as amounts or dates.
  const emails = [...text.matchAll(EMAIL)].map((m) => m[0]);
  let rest = text.replace(EMAIL, ' ');
  for (const n of [...orderNumbers, ...orderReferences]) rest = rest.split(n).join(' ');
  return {
    orderNumbers,
    orderReferences,
    amounts: findAmounts(rest, ctx.currency),
    dates: findDates(rest, ctx),
    emails,
  };
}

function findOrderNumbers(text: string, pattern?: string | null): string[] {
  let re = DEFAULT_ORDER_NUMBER;
  if (pattern) {
    // Marketplace patterns are anchored for validation (^…$); search with them unanchored.
    const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
    re = new RegExp(`(?<![\\w-])${body}(?![\\w-])`, 'g');
  }
  return [...new Set([...text.matchAll(re)].map((m) => m[0]))];
}

// ---- amounts -----------------------------------------------------------------------------

const CURRENCY_WORDS: [RegExp, string][] = [
  [/^(€|eur|euro|euros)$/i, 'EUR'],
  [/^(\$|usd|dollars?|dollari|dolares|dólares|dollar)$/i, 'USD'],
  [/^(£|gbp|pounds?|sterline?|libras?)$/i, 'GBP'],
];
const currencyOf = (token: string) => CURRENCY_WORDS.find(([re]) => re.test(token))?.[1];
const NUMBER = String.raw`\d{1,3}(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const CUR = String.raw`€|\$|£|eur|euros?|usd|dollars?|dollari|d[oó]lares|gbp|pounds?`;
const AMOUNT = new RegExp(String.raw`(?:(${CUR})\s?(${NUMBER})|(${NUMBER})\s?(${CUR}))(?![\w])`, 'gi');

/** Reads 1.234,56 / 1,234.56 / 12,50 / 12.50 / 1 234 as a number of minor units. */
export function parseAmount(raw: string): number | null {
  const s = raw.replace(/\s/g, '');
  const lastSep = Math.max(s.lastIndexOf(','), s.lastIndexOf('.'));
  let whole = s;
  let fraction = '';
  if (lastSep >= 0 && s.length - lastSep - 1 <= 2) {
    whole = s.slice(0, lastSep);
    fraction = s.slice(lastSep + 1);
  }
  whole = whole.replace(/[.,]/g, '');
  if (!/^\d+$/.test(whole) || !/^\d{0,2}$/.test(fraction)) return null;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function findAmounts(text: string, _defaultCurrency: string): Entities['amounts'] {
  const found: Entities['amounts'] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const currency = currencyOf((m[1] ?? m[4] ?? '').trim());
    const amount = parseAmount((m[2] ?? m[3] ?? '').trim());
    if (currency && amount !== null) found.push({ amount, currency, text: m[0].trim() });
  }
  return found;
}

// ---- dates -------------------------------------------------------------------------------

const WEEKDAYS: Record<string, number> = {};
const weekdayNames: [number, string[]][] = [
  [1, ['monday', 'lunedi', 'lunes', 'lundi', 'montag']],
  [2, ['tuesday', 'martedi', 'martes', 'mardi', 'dienstag']],
  [3, ['wednesday', 'mercoledi', 'miercoles', 'mercredi', 'mittwoch']],
  [4, ['thursday', 'giovedi', 'jueves', 'jeudi', 'donnerstag']],
  [5, ['friday', 'venerdi', 'viernes', 'vendredi', 'freitag']],
  [6, ['saturday', 'sabato', 'sabado', 'samedi', 'samstag']],
  [7, ['sunday', 'domenica', 'domingo', 'dimanche', 'sonntag']],
];
for (const [n, names] of weekdayNames) for (const name of names) WEEKDAYS[name] = n;
const WEEKDAY = Object.keys(WEEKDAYS).join('|');

const MONTHS: Record<string, number> = {};
const monthNames: [number, string[]][] = [
  [1, ['january', 'jan', 'gennaio', 'gen', 'enero', 'ene', 'janvier', 'janv', 'januar']],
  [2, ['february', 'feb', 'febbraio', 'febrero', 'fevrier', 'fevr', 'februar']],
  [3, ['march', 'mar', 'marzo', 'mars', 'marz', 'maerz']],
  [4, ['april', 'apr', 'aprile', 'abril', 'abr', 'avril', 'avr']],
  [5, ['may', 'maggio', 'mag', 'mayo', 'mai']],
  [6, ['june', 'jun', 'giugno', 'giu', 'junio', 'juin', 'juni']],
  [7, ['july', 'jul', 'luglio', 'lug', 'julio', 'juillet', 'juil', 'juli']],
  [8, ['august', 'aug', 'agosto', 'ago', 'aout']],
  [9, ['september', 'sep', 'sept', 'settembre', 'set', 'septiembre', 'septembre']],
  [10, ['october', 'oct', 'ottobre', 'ott', 'octubre', 'octobre', 'oktober', 'okt']],
  [11, ['november', 'nov', 'novembre', 'noviembre']],
  [12, ['december', 'dec', 'dicembre', 'dic', 'diciembre', 'decembre', 'dezember', 'dez']],
];
for (const [n, names] of monthNames) for (const name of names) MONTHS[name] = n;
const MONTH = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

type DateRule = {
  re: RegExp;
  resolve: (m: RegExpMatchArray, today: LocalDate) => { date: LocalDate; end?: LocalDate } | null;
};

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number): LocalDate | null => {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = `${y}-${pad(m)}-${pad(d)}`;
  return new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date ? date : null;
};
/** The most recent past (or today's) occurrence of a day and month. */
const recentDayMonth = (today: LocalDate, month: number, day: number) => {
  const year = Number(today.slice(0, 4));
  const candidate = ymd(year, month, day);
  return candidate && candidate > today ? ymd(year - 1, month, day) : candidate;
};
const previousWeekday = (today: LocalDate, weekday: number) => {
  const back = (isoWeekday(today) - weekday + 7) % 7 || 7;
  return addCalendarDays(today, -back);
};
const mondayOf = (date: LocalDate) => addCalendarDays(date, 1 - isoWeekday(date));
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  ten: 10,
  un: 1,
  uno: 1,
  una: 1,
  due: 2,
  tre: 3,
  quattro: 4,
  cinque: 5,
  sei: 6,
  sette: 7,
  dieci: 10,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  diez: 10,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  sept: 7,
  dix: 10,
  ein: 1,
  einem: 1,
  einer: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  funf: 5,
  fuenf: 5,
  sechs: 6,
  sieben: 7,
  zehn: 10,
};
const COUNT = String.raw`\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')}`;
const count = (s: string) => (/^\d+$/.test(s) ? Number(s) : (NUMBER_WORDS[s] ?? 0));
const DAY_UNIT = String.raw`days?|giorni|giorno|dias?|jours?|tagen?|tage`;
const WEEK_UNIT = String.raw`weeks?|settimane?|semanas?|semaines?|wochen?`;
const unitDays = (unit: string) => (new RegExp(`^(${WEEK_UNIT})$`).test(unit) ? 7 : 1);

// Patterns match the folded text (lower case, no accents). Each gives a date, or a week's range.
const DATE_RULES: DateRule[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, resolve: (m) => toDate(ymd(+m[1]!, +m[2]!, +m[3]!)) },
  {
    // 12/03/2026, 12.03.26 (day first, as in every marketplace language but US English)
    re: /\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b/g,
    resolve: (m) => toDate(ymd(fullYear(+m[3]!), +m[2]!, +m[1]!)),
  },
  {
    re: new RegExp(
      String.raw`\b(\d{1,2})(?:st|nd|rd|th|er|º|°)?\.?\s+(?:de\s+)?(${MONTH})\.?(?:\s+(?:de\s+)?(\d{4}))?\b`,
      'g',
    ),
    resolve: (m, today) =>
      toDate(m[3] ? ymd(+m[3], MONTHS[m[2]!]!, +m[1]!) : recentDayMonth(today, MONTHS[m[2]!]!, +m[1]!)),
  },
  {
    re: new RegExp(String.raw`\b(${MONTH})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`, 'g'),
    resolve: (m, today) =>
      toDate(m[3] ? ymd(+m[3], MONTHS[m[1]!]!, +m[2]!) : recentDayMonth(today, MONTHS[m[1]!]!, +m[2]!)),
  },
  {
    re: /\b(day before yesterday|l'altro ieri|l altro ieri|altroieri|anteayer|avant-hier|avant hier|vorgestern)\b/g,
    resolve: (_m, t) => ({ date: addCalendarDays(t, -2) }),
  },
  { re: /\b(yesterday|ieri|ayer|hier|gestern)\b/g, resolve: (_m, t) => ({ date: addCalendarDays(t, -1) }) },
  { re: /\b(today|oggi|hoy|aujourd'hui|aujourd hui|heute)\b/g, resolve: (_m, t) => ({ date: t }) },
  {
    re: /\b(tomorrow|domani|manana|demain|morgen)\b/g,
    resolve: (_m, t) => ({ date: addCalendarDays(t, 1) }),
  },
  {
    // "3 days ago", "tre giorni fa", "hace 3 días", "il y a 3 jours", "vor 3 Tagen"
    re: new RegExp(
      String.raw`\b(?:(${COUNT})\s+(${DAY_UNIT}|${WEEK_UNIT})\s+(?:ago|fa)|hace\s+(${COUNT})\s+(${DAY_UNIT}|${WEEK_UNIT})|il y a\s+(${COUNT})\s+(${DAY_UNIT}|${WEEK_UNIT})|vor\s+(${COUNT})\s+(${DAY_UNIT}|${WEEK_UNIT}))\b`,
      'g',
    ),
    resolve: (m, t) => {
      const n = m[1] ?? m[3] ?? m[5] ?? m[7]!;
      const unit = m[2] ?? m[4] ?? m[6] ?? m[8]!;
      return { date: addCalendarDays(t, -count(n) * unitDays(unit)) };
    },
  },
  {
    // "last week", "la settimana scorsa", "la semana pasada", "la semaine dernière", "letzte Woche"
    re: /\b(last week|previous week|la settimana scorsa|settimana scorsa|la scorsa settimana|la semana pasada|semana pasada|la semaine derniere|semaine derniere|letzte woche|letzten woche|vergangene woche|vorige woche)\b/g,
    resolve: (_m, t) => {
      const start = addCalendarDays(mondayOf(t), -7);
      return { date: start, end: addCalendarDays(start, 6) };
    },
  },
  {
    // "last Tuesday", "martedì scorso", "el martes pasado", "mardi dernier", "letzten Dienstag", "on Tuesday"
    re: new RegExp(
      String.raw`\b(?:last\s+(${WEEKDAY})|(${WEEKDAY})\s+scors[oa]|(?:el\s+)?(${WEEKDAY})\s+pasado|(${WEEKDAY})\s+dernier|(?:letzten|letzter|vergangenen|am)\s+(${WEEKDAY})|(?:on|el|le|il|lo)\s+(${WEEKDAY}))\b`,
      'g',
    ),
    resolve: (m, t) => ({
      date: previousWeekday(t, WEEKDAYS[(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6])!]!),
    }),
  },
];

const fullYear = (y: number) => (y < 100 ? 2000 + y : y);
const toDate = (date: LocalDate | null) => (date ? { date } : null);

function findDates(text: string, ctx: EntityContext): Entities['dates'] {
  const folded = fold(text);
  const today = localDateOf(ctx.now, ctx.timeZone);
  const taken: [number, number][] = [];
  const found: (Entities['dates'][number] & { at: number })[] = [];
  for (const rule of DATE_RULES) {
    for (const m of folded.matchAll(rule.re)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      const resolved = rule.resolve(m, today);
      if (!resolved) continue;
      taken.push([start, end]);
      found.push({ ...resolved, text: text.slice(start, end), at: start });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...d }) => d);
}
