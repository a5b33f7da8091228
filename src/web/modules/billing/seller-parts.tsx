// What the seller's billing pages share: the marketplaces the seller has been enrolled in, month names
// and band names in the page's language.
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { useApi } from '../../shared/use-api';
import { bandNumber, bpToPercent, type FeeSchedule, formatPercent } from './fee-view';

type Services = { marketplaces: { marketplace: string; status: string; since: string | null }[] };

/** The marketplaces where the seller is or was enrolled (fees exist only there), enrolled ones first. */
export function useMarketplaces(sellerId: string | null | undefined) {
  return useApi(async () => {
    if (!sellerId) return [];
    const s = await request<Services>('GET', `/api/v1/sellers/${encodeURIComponent(sellerId)}/services`);
    return s.marketplaces
      .filter((m) => m.status !== 'not_enrolled' || m.since)
      .sort((a, b) => Number(a.status === 'not_enrolled') - Number(b.status === 'not_enrolled'))
      .map((m) => m.marketplace);
  }, [sellerId]);
}

/** "2026-11" → "November 2026" in the page's language. */
export function monthName(month: string, language: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, 1),
  );
}

/** "2026-11" → "Nov 26": short enough for a chart's axis. */
export function shortMonth(month: string, language: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(language, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, 1),
  );
}

/** band_2 → "Band 2 (up to 15 %)"; above and default in words. */
export function useBandName(schedule: FeeSchedule['schedule']) {
  const { t, i18n } = useTranslation('billing');
  return (band: string) => {
    const n = bandNumber(band);
    if (n === null)
      return band === 'above'
        ? t('bandAbove')
        : t('bandDefault', { units: schedule?.defaultUpToUnits ?? 30 });
    const edge = schedule?.bands[n - 1];
    return edge
      ? t('bandUpTo', { band: n, percent: formatPercent(bpToPercent(edge.upToBp), i18n.language) })
      : t('bandN', { band: n });
  };
}
