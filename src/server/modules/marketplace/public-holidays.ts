// National public holidays of the demo marketplaces' countries, computed by rule for any year.
// Operators can load their own (regional) holidays through the integration API instead.
import { addCalendarDays, isoWeekday, type LocalDate } from '../../platform/business-calendar';

export type Holiday = { day: LocalDate; name: string };

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number): LocalDate => `${y}-${pad(m)}-${pad(d)}`;

/** Western (Gregorian) Easter Sunday, anonymous Gregorian algorithm. */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** The n-th given ISO weekday of a month; n = -1 is the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): LocalDate {
  if (n > 0) {
    let d = ymd(year, month, 1);
    while (isoWeekday(d) !== weekday) d = addCalendarDays(d, 1);
    return addCalendarDays(d, 7 * (n - 1));
  }
  let d = addCalendarDays(ymd(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1), -1);
  while (isoWeekday(d) !== weekday) d = addCalendarDays(d, -1);
  return d;
}

/** US federal holidays fall on Friday when on Saturday, on Monday when on Sunday. */
function observedUs(day: LocalDate): LocalDate {
  const w = isoWeekday(day);
  return w === 6 ? addCalendarDays(day, -1) : w === 7 ? addCalendarDays(day, 1) : day;
}

const RULES: Record<string, (year: number) => Holiday[]> = {
  IT: (y) => {
    const easter = easterSunday(y);
    return [
      { day: ymd(y, 1, 1), name: 'Capodanno' },
      { day: ymd(y, 1, 6), name: 'Epifania' },
      { day: easter, name: 'Pasqua' },
      { day: addCalendarDays(easter, 1), name: "Lunedì dell'Angelo" },
      { day: ymd(y, 4, 25), name: 'Festa della Liberazione' },
      { day: ymd(y, 5, 1), name: 'Festa del Lavoro' },
      { day: ymd(y, 6, 2), name: 'Festa della Repubblica' },
      { day: ymd(y, 8, 15), name: 'Ferragosto' },
      // National holiday again from 2026 (law 151/2025).
      ...(y >= 2026 ? [{ day: ymd(y, 10, 4), name: 'San Francesco d’Assisi' }] : []),
      { day: ymd(y, 11, 1), name: 'Ognissanti' },
      { day: ymd(y, 12, 8), name: 'Immacolata Concezione' },
      { day: ymd(y, 12, 25), name: 'Natale' },
      { day: ymd(y, 12, 26), name: 'Santo Stefano' },
    ];
  },
  ES: (y) => [
    { day: ymd(y, 1, 1), name: 'Año Nuevo' },
    { day: ymd(y, 1, 6), name: 'Epifanía del Señor' },
    { day: addCalendarDays(easterSunday(y), -2), name: 'Viernes Santo' },
    { day: ymd(y, 5, 1), name: 'Fiesta del Trabajo' },
    { day: ymd(y, 8, 15), name: 'Asunción de la Virgen' },
    { day: ymd(y, 10, 12), name: 'Fiesta Nacional de España' },
    { day: ymd(y, 11, 1), name: 'Todos los Santos' },
    { day: ymd(y, 12, 6), name: 'Día de la Constitución' },
    { day: ymd(y, 12, 8), name: 'Inmaculada Concepción' },
    { day: ymd(y, 12, 25), name: 'Natividad del Señor' },
  ],
  FR: (y) => {
    const easter = easterSunday(y);
    return [
      { day: ymd(y, 1, 1), name: 'Jour de l’an' },
      { day: addCalendarDays(easter, 1), name: 'Lundi de Pâques' },
      { day: ymd(y, 5, 1), name: 'Fête du Travail' },
      { day: ymd(y, 5, 8), name: 'Victoire 1945' },
      { day: addCalendarDays(easter, 39), name: 'Ascension' },
      { day: addCalendarDays(easter, 50), name: 'Lundi de Pentecôte' },
      { day: ymd(y, 7, 14), name: 'Fête nationale' },
      { day: ymd(y, 8, 15), name: 'Assomption' },
      { day: ymd(y, 11, 1), name: 'Toussaint' },
      { day: ymd(y, 11, 11), name: 'Armistice 1918' },
      { day: ymd(y, 12, 25), name: 'Noël' },
    ];
  },
  DE: (y) => {
    const easter = easterSunday(y);
    return [
      { day: ymd(y, 1, 1), name: 'Neujahr' },
      { day: addCalendarDays(easter, -2), name: 'Karfreitag' },
      { day: addCalendarDays(easter, 1), name: 'Ostermontag' },
      { day: ymd(y, 5, 1), name: 'Tag der Arbeit' },
      { day: addCalendarDays(easter, 39), name: 'Christi Himmelfahrt' },
      { day: addCalendarDays(easter, 50), name: 'Pfingstmontag' },
      { day: ymd(y, 10, 3), name: 'Tag der Deutschen Einheit' },
      { day: ymd(y, 12, 25), name: '1. Weihnachtstag' },
      { day: ymd(y, 12, 26), name: '2. Weihnachtstag' },
    ];
  },
  US: (y) => [
    { day: observedUs(ymd(y, 1, 1)), name: "New Year's Day" },
    { day: nthWeekday(y, 1, 1, 3), name: 'Birthday of Martin Luther King, Jr.' },
    { day: nthWeekday(y, 2, 1, 3), name: "Washington's Birthday" },
    { day: nthWeekday(y, 5, 1, -1), name: 'Memorial Day' },
    { day: observedUs(ymd(y, 6, 19)), name: 'Juneteenth National Independence Day' },
    { day: observedUs(ymd(y, 7, 4)), name: 'Independence Day' },
    { day: nthWeekday(y, 9, 1, 1), name: 'Labor Day' },
    { day: nthWeekday(y, 10, 1, 2), name: 'Columbus Day' },
    { day: observedUs(ymd(y, 11, 11)), name: 'Veterans Day' },
    { day: nthWeekday(y, 11, 4, 4), name: 'Thanksgiving Day' },
    { day: observedUs(ymd(y, 12, 25)), name: 'Christmas Day' },
  ],
};

export const countriesWithHolidayRules = Object.keys(RULES);

export function nationalHolidays(country: string, year: number): Holiday[] {
  const rule = RULES[country];
  if (!rule) return [];
  return rule(year).sort((a, b) => a.day.localeCompare(b.day));
}
