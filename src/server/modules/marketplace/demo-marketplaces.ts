import type { MarketplaceRecord } from '../../../contracts/marketplace-records';
import { nationalHolidays } from './public-holidays';

// The five marketplaces of the demo (and of the simulator): the seeds' countries plus the US.
const base: Omit<MarketplaceRecord, 'type' | 'holidays' | 'weekendDays'>[] = [
  {
    id: 'US',
    name: 'Marketplace US',
    country: 'US',
    currency: 'USD',
    languages: ['en', 'es'],
    defaultLanguage: 'en',
    timeZone: 'America/New_York',
    orderNumberPattern: '^\\d{3}-\\d{7}-\\d{7}$',
  },
  {
    id: 'IT',
    name: 'Marketplace Italia',
    country: 'IT',
    currency: 'EUR',
    languages: ['it'],
    defaultLanguage: 'it',
    timeZone: 'Europe/Rome',
    orderNumberPattern: '^\\d{3}-\\d{7}-\\d{7}$',
  },
  {
    id: 'ES',
    name: 'Marketplace España',
    country: 'ES',
    currency: 'EUR',
    languages: ['es'],
    defaultLanguage: 'es',
    timeZone: 'Europe/Madrid',
    orderNumberPattern: '^\\d{3}-\\d{7}-\\d{7}$',
  },
  {
    id: 'FR',
    name: 'Marketplace France',
    country: 'FR',
    currency: 'EUR',
    languages: ['fr'],
    defaultLanguage: 'fr',
    timeZone: 'Europe/Paris',
    orderNumberPattern: '^\\d{3}-\\d{7}-\\d{7}$',
  },
  // Sellers in DE may be served in German or Chinese (SPEC C9); English for the many who ask.
  {
    id: 'DE',
    name: 'Marktplatz Deutschland',
    country: 'DE',
    currency: 'EUR',
    languages: ['de', 'en', 'zh'],
    defaultLanguage: 'de',
    timeZone: 'Europe/Berlin',
    orderNumberPattern: '^\\d{3}-\\d{7}-\\d{7}$',
  },
];

export function demoMarketplaces(years: readonly number[] = [2025, 2026, 2027]): MarketplaceRecord[] {
  return base.map((m) => ({
    ...m,
    type: 'marketplace',
    weekendDays: [6, 7],
    holidays: years.flatMap((y) => nationalHolidays(m.country, y)),
  }));
}
