// Fee schedules of a marketplace (issue 18 item 3, 10): every version with its effective date and who
// saved it; a new version from a day on; and the same draft simulated on a past month — per seller and
// in total against what was charged — before it is saved (the simulation changes nothing). Below, the
// tracking discounts, versioned the same way (tracking-discounts.tsx).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { Chart, chartColors } from '../../shared/chart';
import { ErrorMessage, InputProblem } from '../../shared/errors';
import { formatDate, formatMoney } from '../../shared/format';
import { Button, SelectField, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { DataTable } from '../../shared/table';
import { useApi } from '../../shared/use-api';
import { dayIn, firstOfNextMonthIn, toMajorText, toMinorUnits } from '../marketplace/admin-values';
import { loadMarketplaces } from '../marketplace/marketplaces-page';
import { EffectiveFields } from './effective-fields';
import { bpToPercent, formatPercent } from './fee-view';
import { useBandName } from './seller-parts';
import { type DiscountVersion, effectiveText, TrackingDiscounts } from './tracking-discounts';
import './billing.css';

type ScheduleVersion = {
  version: string;
  effectiveFrom: string;
  currency: string;
  bands: { upToBp: number; rate: number }[];
  aboveRate: number;
  defaultRate: number;
  defaultUpToUnits: number;
  note: string;
  createdBy: string | null;
};
type Policies = {
  marketplace: string;
  currency: string;
  scheduleInForce: string | null;
  schedules: ScheduleVersion[];
  discountInForce: string | null;
  discounts: DiscountVersion[];
};
type Simulation = {
  month: string;
  currency: string;
  sellers: {
    sellerId: string;
    sellerRef: string | null;
    sellerName: string | null;
    units: number;
    band: string;
    discountPercent: number;
    charged: number;
    simulated: number;
    difference: number;
  }[];
  total: { charged: number; simulated: number; difference: number };
};

type Draft = {
  bands: { upTo: string; rate: string }[];
  above: string;
  default: string;
  defaultUpToUnits: string;
  effectiveFrom: string;
  note: string;
};

const draftOf = (s: ScheduleVersion | undefined, currency: string, effectiveFrom: string): Draft => ({
  bands: (s?.bands ?? []).map((b) => ({
    upTo: String(bpToPercent(b.upToBp)),
    rate: toMajorText(b.rate, currency),
  })),
  above: s ? toMajorText(s.aboveRate, currency) : '',
  default: s ? toMajorText(s.defaultRate, currency) : '',
  defaultUpToUnits: String(s?.defaultUpToUnits ?? 30),
  effectiveFrom,
  note: '',
});

/** The draft as the API's body, or the first field that is not a number (named for the error). */
function scheduleBody(d: Draft, currency: string) {
  const minor = (v: string) => toMinorUnits(v, currency);
  const bands = d.bands.map((b) => ({
    upToBp: Math.round(Number(b.upTo.replace(',', '.')) * 100),
    rate: minor(b.rate),
  }));
  const bad =
    bands.some((b) => !Number.isFinite(b.upToBp) || b.rate === null) ||
    minor(d.above) === null ||
    minor(d.default) === null ||
    !/^\d+$/.test(d.defaultUpToUnits);
  if (bad) return null;
  return {
    currency,
    bands: bands as { upToBp: number; rate: number }[],
    aboveRate: minor(d.above)!,
    defaultRate: minor(d.default)!,
    defaultUpToUnits: Number(d.defaultUpToUnits),
  };
}

export function FeePoliciesPage() {
  const { t } = useTranslation('billing');
  const marketplaces = useApi(loadMarketplaces, []);
  const [marketplace, setMarketplace] = useState('');
  const chosen = marketplaces.data?.find((m) => m.id === marketplace) ?? marketplaces.data?.[0];
  return (
    <Page title={t('policiesTitle')}>
      <p>{t('policiesIntro')}</p>
      {marketplaces.error ? <ErrorMessage error={marketplaces.error} /> : null}
      <SelectField
        label={t('marketplace')}
        value={chosen?.id ?? ''}
        onChange={(e) => setMarketplace(e.target.value)}
        options={(marketplaces.data ?? []).map((x) => ({ value: x.id, label: `${x.id} · ${x.name}` }))}
      />
      {chosen && <Schedules key={chosen.id} marketplace={chosen.id} timeZone={chosen.timeZone} />}
    </Page>
  );
}

function Schedules({ marketplace, timeZone }: { marketplace: string; timeZone: string }) {
  const { t, i18n } = useTranslation('billing');
  const lang = i18n.language;
  const policies = useApi(
    () => request<Policies>('GET', `/api/v1/marketplaces/${marketplace}/fee-policies`),
    [marketplace],
  );
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState<'save' | 'simulate' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const [month, setMonth] = useState('');
  const data = policies.data;
  useEffect(() => {
    if (data && !draft) {
      const inForce = data.schedules.find((s) => s.version === data.scheduleInForce) ?? data.schedules.at(-1);
      setDraft(draftOf(inForce, data.currency, firstOfNextMonthIn(new Date(), timeZone)));
    }
  }, [data, draft, timeZone]);
  if (policies.error) return <ErrorMessage error={policies.error} />;
  if (!data || !draft) return <p aria-live="polite">{t('loading')}</p>;
  const currency = data.currency;
  const money = (minor: number) => formatMoney(minor, currency, lang);
  const body = scheduleBody(draft, currency);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setBand = (i: number, patch: Partial<Draft['bands'][number]>) =>
    set({ bands: draft.bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });

  const send = async (what: 'save' | 'simulate') => {
    setError(null);
    setSaved(null);
    if (!body) {
      setError(new InputProblem(t('notANumber')));
      return;
    }
    setBusy(what);
    try {
      if (what === 'save') {
        const r = await request<ScheduleVersion>(
          'POST',
          `/api/v1/marketplaces/${marketplace}/fee-schedules`,
          {
            body: { ...body, effectiveFrom: draft.effectiveFrom, note: draft.note },
          },
        );
        setSaved(t('scheduleSaved', { date: formatDate(dayIn(new Date(r.effectiveFrom), timeZone), lang) }));
        policies.reload();
      } else {
        setSimulation(
          await request<Simulation>('POST', '/api/v1/fees/simulations', {
            body: { marketplace, schedule: body, ...(month ? { month } : {}) },
          }),
        );
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <h2>{t('schedulesList')}</h2>
      <DataTable
        caption={t('schedulesList')}
        captionHidden
        rows={data.schedules}
        rowKey={(s) => s.version}
        columns={[
          {
            header: t('effectiveFrom'),
            cell: (s) => (
              <>
                {effectiveText(s.effectiveFrom, timeZone, lang, t('fromTheStart'))}
                {s.version === data.scheduleInForce ? ` · ${t('inForce')}` : ''}
              </>
            ),
          },
          {
            header: t('bands'),
            cell: (s) =>
              s.bands
                .map((b, i) => `${i + 1}: ≤ ${formatPercent(bpToPercent(b.upToBp), lang)} ${money(b.rate)}`)
                .join(' · '),
          },
          { header: t('aboveRate'), cell: (s) => money(s.aboveRate), numeric: true },
          {
            header: t('defaultRate'),
            cell: (s) => `${money(s.defaultRate)} (≤ ${s.defaultUpToUnits})`,
            numeric: true,
          },
          { header: t('note'), cell: (s) => s.note || s.version },
          { header: t('savedBy'), cell: (s) => s.createdBy ?? t('builtIn') },
        ]}
      />

      <form
        className="fee-form"
        aria-label={t('draftTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          void send('save');
        }}
      >
        <h2>{t('draftTitle')}</h2>
        <p className="hint">{t('draftHint', { currency })}</p>
        {draft.bands.map((b, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a band is its position in the schedule
          <fieldset key={`band-${i + 1}`} className="fee-inline">
            <legend>{t('bandN', { band: i + 1 })}</legend>
            <TextField
              label={t('bandUpToLabel', { band: i + 1 })}
              inputMode="decimal"
              value={b.upTo}
              onChange={(e) => setBand(i, { upTo: e.target.value })}
            />
            <TextField
              label={t('bandRateLabel', { band: i + 1, currency })}
              inputMode="decimal"
              value={b.rate}
              onChange={(e) => setBand(i, { rate: e.target.value })}
            />
          </fieldset>
        ))}
        <div className="fee-inline">
          <TextField
            label={t('aboveRateLabel', { currency })}
            inputMode="decimal"
            value={draft.above}
            onChange={(e) => set({ above: e.target.value })}
          />
          <TextField
            label={t('defaultRateLabel', { currency })}
            inputMode="decimal"
            value={draft.default}
            onChange={(e) => set({ default: e.target.value })}
          />
          <TextField
            label={t('defaultUpToUnits')}
            inputMode="numeric"
            value={draft.defaultUpToUnits}
            onChange={(e) => set({ defaultUpToUnits: e.target.value })}
          />
        </div>
        <EffectiveFields
          effectiveFrom={draft.effectiveFrom}
          note={draft.note}
          timeZone={timeZone}
          onChange={set}
        />
        {error ? <ErrorMessage error={error} /> : null}
        <p role="status">{saved ?? ''}</p>
        <Button type="submit" busy={busy === 'save'}>
          {t('saveSchedule')}
        </Button>
        <h3>{t('simulationTitle')}</h3>
        <p className="hint">{t('simulationHint')}</p>
        <div className="fee-inline">
          <TextField
            label={t('simulationMonth')}
            type="month"
            value={month}
            hint={t('simulationMonthHint')}
            onChange={(e) => setMonth(e.target.value)}
          />
          <Button variant="secondary" busy={busy === 'simulate'} onClick={() => void send('simulate')}>
            {t('simulate')}
          </Button>
        </div>
      </form>
      {simulation && <SimulationResult s={simulation} money={money} />}
      <TrackingDiscounts
        marketplace={marketplace}
        timeZone={timeZone}
        versions={data.discounts}
        inForce={data.discountInForce}
        schedule={
          data.schedules.find((s) => s.version === data.scheduleInForce) ?? data.schedules.at(-1) ?? null
        }
        onSaved={policies.reload}
      />
    </>
  );
}

/** At most this many sellers are drawn and listed: those whose fee changes most. */
const SHOWN_SELLERS = 30;

function SimulationResult({ s, money }: { s: Simulation; money: (minor: number) => string }) {
  const { t, i18n } = useTranslation('billing');
  const month = new Intl.DateTimeFormat(i18n.language, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.parse(`${s.month}-01T00:00:00Z`));
  const shown = [...s.sellers]
    .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || b.simulated - a.simulated)
    .slice(0, SHOWN_SELLERS);
  const label = (x: Simulation['sellers'][number]) => x.sellerRef ?? x.sellerId.slice(0, 8);
  const bandName = useBandName(null);
  return (
    <section aria-labelledby="simulation-result" data-testid="simulation-result">
      <h2 id="simulation-result">{t('simulationResult', { month })}</h2>
      <p className="fee-total" data-testid="simulation-total">
        {t('simulationTotal', {
          charged: money(s.total.charged),
          simulated: money(s.total.simulated),
          difference: money(s.total.difference),
        })}
      </p>
      {s.sellers.length > shown.length && (
        <p>{t('simulationShown', { shown: shown.length, total: s.sellers.length })}</p>
      )}
      <Chart
        title={t('simulationChart', { month })}
        xLabels={shown.map(label)}
        format={(v) => money(Math.round(v))}
        series={[
          { label: t('charged'), values: shown.map((x) => x.charged), kind: 'bars', color: chartColors[0]! },
          {
            label: t('simulated'),
            values: shown.map((x) => x.simulated),
            kind: 'bars',
            color: chartColors[1]!,
          },
        ]}
      />
      <DataTable
        caption={t('simulationResult', { month })}
        captionHidden
        rows={shown}
        rowKey={(x) => x.sellerId}
        columns={[
          { header: t('seller'), cell: (x) => (x.sellerName ? `${x.sellerName} (${label(x)})` : label(x)) },
          { header: t('unitsCharged'), cell: (x) => x.units, numeric: true },
          { header: t('band'), cell: (x) => bandName(x.band) },
          { header: t('discount'), cell: (x) => `${x.discountPercent} %`, numeric: true },
          { header: t('charged'), cell: (x) => money(x.charged), numeric: true },
          { header: t('simulated'), cell: (x) => money(x.simulated), numeric: true },
          { header: t('difference'), cell: (x) => money(x.difference), numeric: true },
        ]}
      />
    </section>
  );
}
