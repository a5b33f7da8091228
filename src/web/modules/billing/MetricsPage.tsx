// Operator metrics per day (issue 18 item 9) as charts: contacts per reason, bot containment and
// hand-off, satisfaction of the bot and of people apart, first response against the SLA, resolution
// time and the backlog — for a marketplace, and one language or channel if chosen.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { Chart, chartColors } from '../../shared/chart';
import { ErrorMessage } from '../../shared/errors';
import { SelectField, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { useApi } from '../../shared/use-api';
import { loadMarketplaces } from '../marketplace/marketplaces-page';
import { type DailyRow, dailySeries, daysBetween } from './fee-view';
import './billing.css';

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function MetricsPage() {
  const { t, i18n } = useTranslation('billing');
  const lang = i18n.language;
  const marketplaces = useApi(loadMarketplaces, []);
  const [marketplace, setMarketplace] = useState('');
  const [from, setFrom] = useState(isoDay(Date.now() - 13 * 86_400_000));
  const [to, setTo] = useState(isoDay(Date.now()));
  const [language, setLanguage] = useState('');
  const [channel, setChannel] = useState('');
  const chosen = marketplace || marketplaces.data?.[0]?.id || '';
  const valid = /^\d{4}-\d\d-\d\d$/.test(from) && /^\d{4}-\d\d-\d\d$/.test(to) && from <= to;
  const rows = useApi(
    () =>
      chosen && valid
        ? request<DailyRow[]>(
            'GET',
            `/api/v1/admin/metrics/daily?from=${from}&to=${to}&marketplace=${chosen}`,
          )
        : Promise.resolve(null),
    [chosen, from, to, valid],
  );
  const m = marketplaces.data?.find((x) => x.id === chosen);
  const days = valid ? daysBetween(from, to) : [];
  const s = rows.data ? dailySeries(rows.data, days, language, channel) : null;
  const dayLabel = (d: string) =>
    new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.parse(d));
  const x = days.map(dayLabel);
  const pct = (v: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(v) + ' %';
  const num = (v: number) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(v);
  const channels = [...new Set(rows.data?.map((r) => r.channel) ?? [])].sort();

  return (
    <Page title={t('metricsTitle')}>
      <p>{t('metricsIntro')}</p>
      {marketplaces.error ? <ErrorMessage error={marketplaces.error} /> : null}
      <div className="fee-inline">
        <SelectField
          label={t('marketplace')}
          value={chosen}
          onChange={(e) => setMarketplace(e.target.value)}
          options={(marketplaces.data ?? []).map((x) => ({ value: x.id, label: `${x.id} · ${x.name}` }))}
        />
        <TextField label={t('from')} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t('to')} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <SelectField
          label={t('language')}
          value={language}
          onChange={(e) => setLanguage(e.target.value)}
          options={[
            { value: '', label: t('all') },
            ...(m?.languages ?? []).map((l) => ({ value: l, label: l })),
          ]}
        />
        <SelectField
          label={t('channel')}
          value={channel}
          onChange={(e) => setChannel(e.target.value)}
          options={[
            { value: '', label: t('all') },
            ...channels.map((c) => ({ value: c, label: t(`channelName.${c}`, { defaultValue: c }) })),
          ]}
        />
      </div>
      {!valid && <p role="alert">{t('badPeriod')}</p>}
      {rows.error ? <ErrorMessage error={rows.error} /> : null}
      {s && (
        <div className="chart-grid" data-testid="metrics-charts">
          <Chart
            title={t('chartContacts')}
            xLabels={x}
            format={num}
            series={
              s.reasons.length
                ? s.reasons.map((r, i) => ({
                    label: t(`routingReason.${r}`, { defaultValue: r }),
                    values: s.perDay.map((d) => d.byReason[r] ?? 0),
                    kind: 'bars' as const,
                    color: chartColors[i % chartColors.length]!,
                  }))
                : [
                    {
                      label: t('contacts'),
                      values: s.perDay.map(() => 0),
                      kind: 'bars',
                      color: chartColors[0]!,
                    },
                  ]
            }
          />
          <Chart
            title={t('chartBot')}
            xLabels={x}
            yRange={[0, 100]}
            format={pct}
            series={[
              {
                label: t('containment'),
                values: s.perDay.map((d) => d.containmentPercent),
                color: chartColors[2]!,
              },
              { label: t('handOff'), values: s.perDay.map((d) => d.handOffPercent), color: chartColors[1]! },
            ]}
          />
          <Chart
            title={t('chartSatisfaction')}
            xLabels={x}
            yRange={[0, 5]}
            format={num}
            series={[
              { label: t('starsBot'), values: s.perDay.map((d) => d.starsBot), color: chartColors[0]! },
              { label: t('starsPeople'), values: s.perDay.map((d) => d.starsPeople), color: chartColors[3]! },
            ]}
          />
          <Chart
            title={t('chartSla')}
            xLabels={x}
            yRange={[0, 100]}
            format={pct}
            series={[
              {
                label: t('withinSla'),
                values: s.perDay.map((d) => d.withinSlaPercent),
                color: chartColors[0]!,
              },
              { label: t('slaGoal'), values: s.perDay.map(() => 100), kind: 'limit', color: chartColors[2]! },
            ]}
          />
          <Chart
            title={t('chartTimes')}
            xLabels={x}
            format={num}
            series={[
              {
                label: t('firstResponseMinutes'),
                values: s.perDay.map((d) => d.firstResponseMinutes),
                color: chartColors[0]!,
              },
              {
                label: t('resolutionHours'),
                values: s.perDay.map((d) => d.resolutionHours),
                color: chartColors[1]!,
              },
            ]}
          />
          <Chart
            title={t('chartBacklog')}
            xLabels={x}
            format={num}
            series={[
              {
                label: t('backlogCases'),
                values: s.perDay.map((d) => d.backlog),
                kind: 'bars',
                color: chartColors[4]!,
              },
            ]}
          />
        </div>
      )}
    </Page>
  );
}
