// Tracking discounts of a marketplace (issue 18 item 3): every version with its effective date and who
// saved it, and a new version from a day on. A discount applies only when the seller's valid tracking
// rate meets the target; then free at a low CPU or under a few orders, otherwise a percentage per band.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { ErrorMessage, InputProblem } from '../../shared/errors';
import { formatDate } from '../../shared/format';
import { Button, TextField } from '../../shared/forms';
import { DataTable } from '../../shared/table';
import { dayIn, firstOfNextMonthIn } from '../marketplace/admin-values';
import { EffectiveFields } from './effective-fields';
import { bpToPercent, type FeeSchedule, formatPercent } from './fee-view';
import { useBandName } from './seller-parts';

export type DiscountVersion = {
  version: string;
  effectiveFrom: string;
  trackingTargetBp: number;
  freeCpu: { bp: number; inclusive: boolean } | null;
  freeUnderOrders: number | null;
  percentOffByBand: Record<string, number>;
  note: string;
  createdBy: string | null;
};

type Draft = {
  target: string;
  freeCpu: string;
  freeCpuInclusive: boolean;
  freeUnderOrders: string;
  percentOff: Record<string, string>;
  effectiveFrom: string;
  note: string;
};

/** Bands in the schedule's order: band_1…, above, default (what percentOffByBand may name). */
const bandOrder = (code: string) =>
  code.startsWith('band_') ? Number(code.slice(5)) : code === 'above' ? 100 : 101;

const draftOf = (v: DiscountVersion | undefined, bandCodes: string[], effectiveFrom: string): Draft => ({
  target: v ? String(bpToPercent(v.trackingTargetBp)) : '95',
  freeCpu: v?.freeCpu ? String(bpToPercent(v.freeCpu.bp)) : '',
  freeCpuInclusive: v?.freeCpu?.inclusive ?? false,
  freeUnderOrders: v?.freeUnderOrders ? String(v.freeUnderOrders) : '',
  percentOff: Object.fromEntries(bandCodes.map((b) => [b, String(v?.percentOffByBand[b] ?? 0)])),
  effectiveFrom,
  note: '',
});

const percentToBp = (text: string) => {
  const n = Number(text.trim().replace(',', '.'));
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 100 ? Math.round(n * 100) : null;
};

/** The draft as the API's body, or null when a field is not a number in its range. */
function discountBody(d: Draft) {
  const target = percentToBp(d.target);
  const freeCpu = d.freeCpu.trim() === '' ? null : percentToBp(d.freeCpu);
  const orders = d.freeUnderOrders.trim();
  // An emptied field is a mistake, not 0.
  const percentOff = Object.entries(d.percentOff).map(
    ([band, v]) => [band, v.trim() === '' ? Number.NaN : Number(v.trim())] as const,
  );
  if (
    target === null ||
    (d.freeCpu.trim() !== '' && freeCpu === null) ||
    (orders !== '' && !/^[1-9]\d{0,5}$/.test(orders)) ||
    percentOff.some(([, v]) => !Number.isInteger(v) || v < 0 || v > 100)
  )
    return null;
  return {
    trackingTargetBp: target,
    freeCpu: freeCpu === null ? null : { bp: freeCpu, inclusive: d.freeCpuInclusive },
    freeUnderOrders: orders === '' ? null : Number(orders),
    percentOffByBand: Object.fromEntries(percentOff),
  };
}

/** The built-in versions hold since the epoch: "from the start", not 1 January 1970. */
export function effectiveText(iso: string, timeZone: string, lang: string, fromTheStart: string) {
  return Date.parse(iso) <= 0 ? fromTheStart : formatDate(dayIn(new Date(iso), timeZone), lang);
}

export function TrackingDiscounts({
  marketplace,
  timeZone,
  versions,
  inForce,
  schedule,
  onSaved,
}: {
  marketplace: string;
  timeZone: string;
  versions: DiscountVersion[];
  inForce: string | null;
  /** The schedule in force: its bands are named with their edges, and a new band can get a discount too. */
  schedule: FeeSchedule['schedule'];
  onSaved: () => void;
}) {
  const { t, i18n } = useTranslation('billing');
  const lang = i18n.language;
  const bandOf = useBandName(schedule);
  const bandName = (code: string) => {
    const name = bandOf(code);
    return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  };
  const current = versions.find((v) => v.version === inForce) ?? versions.at(-1);
  const bandCodes = [
    ...new Set([
      ...(schedule?.bands ?? []).map((_, i) => `band_${i + 1}`),
      'above',
      'default',
      ...Object.keys(current?.percentOffByBand ?? {}),
    ]),
  ].sort((a, b) => bandOrder(a) - bandOrder(b));
  const [draft, setDraft] = useState(() =>
    draftOf(current, bandCodes, firstOfNextMonthIn(new Date(), timeZone)),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const percent = (bp: number) => formatPercent(bpToPercent(bp), lang);

  const freeRule = (v: DiscountVersion) =>
    [
      v.freeCpu
        ? t(v.freeCpu.inclusive ? 'freeAtCpu' : 'freeBelowCpu', { cpu: percent(v.freeCpu.bp) })
        : null,
      v.freeUnderOrders ? t('freeUnderOrders', { orders: v.freeUnderOrders }) : null,
    ]
      .filter(Boolean)
      .join(' · ') || t('noFreeRule');

  const save = async () => {
    setError(null);
    setSaved(null);
    const body = discountBody(draft);
    if (!body) {
      setError(new InputProblem(t('discountNotANumber')));
      return;
    }
    setBusy(true);
    try {
      const r = await request<DiscountVersion>(
        'POST',
        `/api/v1/marketplaces/${encodeURIComponent(marketplace)}/tracking-discounts`,
        { body: { ...body, effectiveFrom: draft.effectiveFrom, note: draft.note } },
      );
      setSaved(t('discountSaved', { date: formatDate(dayIn(new Date(r.effectiveFrom), timeZone), lang) }));
      // The next draft starts from the version just saved, with a note of its own (no double save).
      setDraft({ ...draftOf(r, bandCodes, draft.effectiveFrom), note: '' });
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>{t('discountsList')}</h2>
      <p>{t('discountsIntro')}</p>
      <DataTable
        caption={t('discountsList')}
        captionHidden
        rows={versions}
        rowKey={(v) => v.version}
        columns={[
          {
            header: t('effectiveFrom'),
            cell: (v) => (
              <>
                {effectiveText(v.effectiveFrom, timeZone, lang, t('fromTheStart'))}
                {v.version === inForce ? ` · ${t('inForce')}` : ''}
              </>
            ),
          },
          { header: t('trackingTarget'), cell: (v) => percent(v.trackingTargetBp), numeric: true },
          { header: t('freeRule'), cell: freeRule },
          {
            header: t('percentOffByBand'),
            cell: (v) =>
              Object.entries(v.percentOffByBand)
                .sort(([a], [b]) => bandOrder(a) - bandOrder(b))
                .map(([band, off]) => `${bandName(band)}: ${formatPercent(off, lang)}`)
                .join(' · '),
          },
          { header: t('note'), cell: (v) => v.note || v.version },
          { header: t('savedBy'), cell: (v) => v.createdBy ?? t('builtIn') },
        ]}
      />
      <form
        className="fee-form"
        aria-label={t('discountDraftTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3>{t('discountDraftTitle')}</h3>
        <p className="hint">{t('discountDraftHint')}</p>
        <div className="fee-inline">
          <TextField
            label={t('trackingTargetLabel')}
            inputMode="decimal"
            value={draft.target}
            onChange={(e) => set({ target: e.target.value })}
          />
          <TextField
            label={t('freeCpuLabel')}
            inputMode="decimal"
            value={draft.freeCpu}
            hint={t('emptyNoRule')}
            onChange={(e) => set({ freeCpu: e.target.value })}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.freeCpuInclusive}
              onChange={(e) => set({ freeCpuInclusive: e.target.checked })}
            />
            <span>{t('freeCpuInclusiveLabel')}</span>
          </label>
          <TextField
            label={t('freeUnderOrdersLabel')}
            inputMode="numeric"
            value={draft.freeUnderOrders}
            hint={t('emptyNoRule')}
            onChange={(e) => set({ freeUnderOrders: e.target.value })}
          />
        </div>
        <fieldset className="fee-inline">
          <legend>{t('percentOffLegend')}</legend>
          {bandCodes.map((band) => (
            <TextField
              key={band}
              label={t('percentOffLabel', { band: bandName(band) })}
              inputMode="numeric"
              value={draft.percentOff[band] ?? '0'}
              onChange={(e) => set({ percentOff: { ...draft.percentOff, [band]: e.target.value } })}
            />
          ))}
        </fieldset>
        <EffectiveFields
          effectiveFrom={draft.effectiveFrom}
          note={draft.note}
          timeZone={timeZone}
          onChange={set}
        />
        {error ? <ErrorMessage error={error} /> : null}
        <p role="status">{saved ?? ''}</p>
        <Button type="submit" busy={busy}>
          {t('saveDiscount')}
        </Button>
      </form>
    </>
  );
}
