import { z } from 'zod';

// Amounts are integers of the currency's minor units. The cap keeps sums far from overflow and
// catches unit mistakes (a price sent in micro-units) before they become real money.
export const MAX_MINOR_AMOUNT = 1_000_000_000_00;

export const externalId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
export const countryCode = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. IT');
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, e.g. EUR');
export const languageCode = z.string().regex(/^[a-z]{2}$/, 'ISO 639-1, e.g. it');
export const instant = z.iso.datetime({ offset: true });
export const localDate = z.iso.date();
export const minorAmount = z.number().int().min(0).max(MAX_MINOR_AMOUNT);
export const shortText = z.string().min(1).max(500);
export const email = z.string().email().max(254);

export const timeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone');
