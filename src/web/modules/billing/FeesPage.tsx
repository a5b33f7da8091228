// The seller's fees (F1–F4): this month's band and fee, last month's charge explained, how far the next
// band is, contacts per unit and valid tracking over time against the band lines, the fee per month,
// and the contacts counted — each with a "contest" action and its state.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { Chart, chartColors } from '../../shared/chart';
import { ErrorMessage } from '../../shared/errors';
import { formatDateTime, formatMoney } from '../../shared/format';
import { Button, SelectField, TextArea } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { useSession } from '../../shared/session';
import { DataTable } from '../../shared/table';
import { useApi } from '../../shared/use-api';
import {
  bandLines,
  bpToPercent,
  type FeeExplanation,
  type FeeMonth,
  type FeeSchedule,
  type FeesNow,
  feePoints,
  formatPercent,
} from './fee-view';
import { monthName, shortMonth, useBandName, useMarketplaces } from './seller-parts';
import './billing.css';

type Contact = {
  contactId: string;
  receivedAt: string;
  order: string | null;
  caseNumber: string | null;
  channel: string;
  topic: string | null;
  reason: string;
  counted: boolean;
  contest: { id: string; status: string } | null;
};
type Contacts = { band: string; window: { from: string; to: string }; contacts: Contact[] };

export function FeesPage() {
  const { t } = useTranslation('billing');
  const { session } = useSession();
  const sellerId = session.kind === 'user' ? session.user.sellerId : null;
  const marketplaces = useMarketplaces(sellerId);
  const [chosen, setChosen] = useState<string | null>(null);
  const marketplace = chosen ?? marketplaces.data?.[0] ?? null;
  return (
    <Page title={t('feesTitle')}>
      <p>{t('feesIntro')}</p>
      {marketplaces.error ? <ErrorMessage error={marketplaces.error} /> : null}
      {marketplaces.data?.length === 0 && <p>{t('notEnrolledAnywhere')}</p>}
      {marketplaces.data && marketplaces.data.length > 1 && (
        <SelectField
          label={t('marketplace')}
          value={marketplace ?? ''}
          onChange={(e) => setChosen(e.target.value)}
          options={marketplaces.data.map((m) => ({ value: m, label: m }))}
        />
      )}
      {sellerId && marketplace && <Fees key={marketplace} sellerId={sellerId} marketplace={marketplace} />}
    </Page>
  );
}

function Fees({ sellerId, marketplace }: { sellerId: string; marketplace: string }) {
  const { t, i18n } = useTranslation('billing');
  const lang = i18n.language;
  const base = `/api/v1/sellers/${encodeURIComponent(sellerId)}`;
  const q = `marketplace=${encodeURIComponent(marketplace)}`;
  const now = useApi(() => request<FeesNow>('GET', `${base}/fees?${q}`), [base, q]);
  const months = useApi(() => request<FeeMonth[]>('GET', `${base}/fees/months?${q}`), [base, q]);
  const schedule = useApi(
    () => request<FeeSchedule>('GET', `/api/v1/marketplaces/${encodeURIComponent(marketplace)}/fee-schedule`),
    [marketplace],
  );
  const bandName = useBandName(schedule.data?.schedule ?? null);
  const error = now.error ?? months.error ?? schedule.error;
  if (error) return <ErrorMessage error={error} />;
  if (!now.data || !months.data || !schedule.data) return <p aria-live="polite">{t('loading')}</p>;
  const currency = now.data.currency;
  const money = (minor: number) => formatMoney(minor, currency, lang);
  const pct = (bp: number) => formatPercent(bpToPercent(bp), lang);
  // The API lists the newest month first; the charts read left to right, oldest first.
  const charged = [...months.data].sort((a, b) => a.month.localeCompare(b.month));
  const last = charged.at(-1);
  const points = feePoints(charged, now.data);
  const xLabels = points.map(
    (p) => `${monthName(p.month, lang)}${p.kind === 'charged' ? '' : ` (${t(`point.${p.kind}`)})`}`,
  );
  const axis = points.map((p) => `${shortMonth(p.month, lang)}${p.kind === 'charged' ? '' : '*'}`);
  const lines = bandLines(schedule.data.schedule, points.length);
  const next = now.data.nextMonth;

  return (
    <>
      <section aria-labelledby="fees-now">
        <h2 id="fees-now">{t('thisMonth', { month: monthName(now.data.month, lang) })}</h2>
        {now.data.band ? (
          <dl className="fee-facts" data-testid="fees-now">
            <div>
              <dt>{t('band')}</dt>
              <dd>
                {bandName(now.data.band.band)} · {now.data.band.fixed ? t('bandFixed') : t('bandProvisional')}
              </dd>
            </div>
            <div>
              <dt>{t('cpu')}</dt>
              <dd>{pct(now.data.band.contactsPerUnitBp)}</dd>
            </div>
            <div>
              <dt>{t('tracking')}</dt>
              <dd>
                {pct(now.data.band.validTrackingRateBp)} ·{' '}
                {now.data.band.trackingTargetMet ? t('targetMet') : t('targetMissed')}
              </dd>
            </div>
            <div>
              <dt>{t('rate')}</dt>
              <dd>{t('perUnit', { amount: money(now.data.band.rate) })}</dd>
            </div>
            <div>
              <dt>{t('feeSoFar')}</dt>
              <dd>{money(now.data.band.amount)}</dd>
            </div>
          </dl>
        ) : (
          <p>{t('noBandYet')}</p>
        )}
      </section>

      {last && (
        <section aria-labelledby="fees-last">
          <h2 id="fees-last">{t('lastCharged', { month: monthName(last.month, lang) })}</h2>
          <Explanation e={last.explanation} money={money} pct={pct} bandName={bandName} />
          {last.credited > 0 && (
            <p>{t('credited', { amount: money(last.credited), net: money(last.net) })}</p>
          )}
        </section>
      )}

      {next && (
        <section aria-labelledby="fees-next">
          <h2 id="fees-next">{t('nextBand', { month: monthName(next.month, lang) })}</h2>
          <p data-testid="fees-next">
            {t('heading', {
              contacts: next.windowSoFar.contacts,
              units: next.windowSoFar.units,
              cpu: pct(next.contactsPerUnitBp),
              band: bandName(next.band),
            })}{' '}
            {next.distance.band === 'default'
              ? t('unitsUntilBands', { count: next.distance.unitsUntilBands })
              : [
                  next.distance.contactsFewerForCheaperBand !== null &&
                    t('fewerForCheaper', { count: next.distance.contactsFewerForCheaperBand }),
                  next.distance.contactsMoreBeforeDearerBand !== null &&
                    t('moreBeforeDearer', { count: next.distance.contactsMoreBeforeDearerBand }),
                ]
                  .filter(Boolean)
                  .join(' ')}
          </p>
        </section>
      )}

      <section aria-labelledby="fees-charts">
        <h2 id="fees-charts">{t('overTime')}</h2>
        <div className="chart-grid">
          <Chart
            title={t('cpuChart')}
            xLabels={xLabels}
            axisLabels={axis}
            format={(v) => formatPercent(v, lang)}
            series={[
              { label: t('cpu'), values: points.map((p) => p.cpuPercent), color: chartColors[0]! },
              ...lines.map((l, i) => ({
                label: t('bandEdge', { band: l.band, percent: formatPercent(l.upToPercent, lang) }),
                values: l.values,
                kind: 'limit' as const,
                color: chartColors[(i % 5) + 1]!,
              })),
            ]}
          />
          <Chart
            title={t('trackingChart')}
            xLabels={xLabels}
            axisLabels={axis}
            format={(v) => formatPercent(v, lang)}
            series={[
              { label: t('tracking'), values: points.map((p) => p.trackingPercent), color: chartColors[0]! },
              {
                label: t('target'),
                values: points.map(() => bpToPercent(schedule.data!.trackingTargetBp)),
                kind: 'limit',
                color: chartColors[2]!,
              },
            ]}
          />
          <Chart
            title={t('feeChart', { currency })}
            xLabels={charged.map((m) => monthName(m.month, lang))}
            axisLabels={charged.map((m) => shortMonth(m.month, lang))}
            format={(v) => money(Math.round(v))}
            series={[
              {
                label: t('charged'),
                values: charged.map((m) => m.amount),
                kind: 'bars',
                color: chartColors[0]!,
              },
              { label: t('net'), values: charged.map((m) => m.net), color: chartColors[1]! },
            ]}
          />
        </div>
        <p className="hint">{t('axisNote')}</p>
        <DataTable
          caption={t('monthsTable')}
          rows={months.data}
          rowKey={(m) => m.month}
          empty={t('noMonths')}
          columns={[
            { header: t('month'), cell: (m) => monthName(m.month, lang) },
            { header: t('band'), cell: (m) => bandName(m.explanation.band) },
            { header: t('cpu'), cell: (m) => pct(m.explanation.contactsPerUnitBp), numeric: true },
            { header: t('tracking'), cell: (m) => pct(m.explanation.validTrackingRateBp), numeric: true },
            { header: t('unitsCharged'), cell: (m) => m.explanation.units.chargedUnits, numeric: true },
            { header: t('discount'), cell: (m) => `${m.explanation.discountPercent} %`, numeric: true },
            { header: t('charged'), cell: (m) => money(m.amount), numeric: true },
            { header: t('net'), cell: (m) => money(m.net), numeric: true },
          ]}
        />
      </section>

      <CountedContacts base={base} marketplace={marketplace} month={now.data.month} />
    </>
  );
}

/** A month's charge in sentences: the window's figures, the band, the tracking discount, the fee. */
function Explanation({
  e,
  money,
  pct,
  bandName,
}: {
  e: FeeExplanation;
  money: (minor: number) => string;
  pct: (bp: number) => string;
  bandName: (band: string) => string;
}) {
  const { t, i18n } = useTranslation('billing');
  const lang = i18n.language;
  return (
    <ul className="fee-explanation" data-testid="fee-explanation">
      <li>
        {t('explainBand', {
          from: monthName(e.window.from, lang),
          to: monthName(e.window.to, lang),
          contacts: e.window.contacts,
          units: e.window.units,
          cpu: pct(e.contactsPerUnitBp),
          band: bandName(e.band),
          rate: money(e.rate),
        })}{' '}
        {t(`bandReason.${e.bandReason}`)}
      </li>
      <li>
        {t('explainTracking', {
          scanned: e.window.scanned,
          shipments: e.window.shipments,
          tracking: pct(e.validTrackingRateBp),
        })}{' '}
        {t(`discountReason.${e.discountReason}`, { percent: e.discountPercent })}
      </li>
      <li>
        {t('explainUnits', {
          charged: e.units.chargedUnits,
          trial: e.units.trialUnits,
          notEnrolled: e.units.notEnrolledUnits,
        })}
      </li>
      <li>
        <strong>
          {t('explainFee', {
            units: e.units.chargedUnits,
            rate: money(e.rate),
            percent: e.discountPercent,
            amount: money(e.amount),
          })}
        </strong>{' '}
        <span className="hint">
          {t('versions', { schedule: e.scheduleVersion, discount: e.discountVersion })}
        </span>
      </li>
    </ul>
  );
}

const contestReasons = ['caused_by_marketplace', 'duplicate', 'not_about_my_order', 'other'] as const;

function CountedContacts({ base, marketplace, month }: { base: string; marketplace: string; month: string }) {
  const { t, i18n } = useTranslation('billing');
  const lang = i18n.language;
  const contacts = useApi(
    () => request<Contacts>('GET', `${base}/fees/contacts?marketplace=${marketplace}&month=${month}`),
    [base, marketplace, month],
  );
  const [contesting, setContesting] = useState<string | null>(null);
  // A busy seller has hundreds: the latest first, ten at a time.
  const [shown, setShown] = useState(10);
  const rows = [...(contacts.data?.contacts ?? [])].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  return (
    <section aria-labelledby="fees-contacts">
      <h2 id="fees-contacts">{t('contactsCounted')}</h2>
      {contacts.data && (
        <p>
          {t('contactsWindow', {
            month: monthName(month, lang),
            from: monthName(contacts.data.window.from, lang),
            to: monthName(contacts.data.window.to, lang),
          })}
        </p>
      )}
      {contacts.error ? <ErrorMessage error={contacts.error} /> : null}
      {contesting && (
        <ContestForm
          base={base}
          contact={contacts.data?.contacts.find((c) => c.contactId === contesting) ?? null}
          onDone={() => {
            setContesting(null);
            contacts.reload();
          }}
        />
      )}
      {contacts.data && (
        <DataTable
          caption={t('contactsCounted')}
          captionHidden
          rows={rows.slice(0, shown)}
          rowKey={(c) => c.contactId}
          empty={t('noContacts')}
          columns={[
            {
              header: t('date'),
              cell: (c) => <time dateTime={c.receivedAt}>{formatDateTime(c.receivedAt, lang)}</time>,
            },
            { header: t('order'), cell: (c) => c.order ?? '—' },
            { header: t('channel'), cell: (c) => t(`channelName.${c.channel}`, { defaultValue: c.channel }) },
            { header: t('reason'), cell: (c) => t(`routingReason.${c.reason}`, { defaultValue: c.reason }) },
            {
              header: t('contest'),
              cell: (c) =>
                c.contest ? (
                  <span data-testid="contest-state">{t(`contestStatus.${c.contest.status}`)}</span>
                ) : (
                  <Button
                    variant="secondary"
                    aria-label={t('contestContact', { order: c.order ?? c.contactId })}
                    onClick={() => setContesting(c.contactId)}
                  >
                    {t('contest')}
                  </Button>
                ),
            },
          ]}
        />
      )}
      {rows.length > shown && (
        <Button variant="secondary" onClick={() => setShown(shown + 10)}>
          {t('showMore', { shown, total: rows.length })}
        </Button>
      )}
    </section>
  );
}

function ContestForm({
  base,
  contact,
  onDone,
}: {
  base: string;
  contact: Contact | null;
  onDone: () => void;
}) {
  const { t } = useTranslation('billing');
  const [reason, setReason] = useState<string>(contestReasons[0]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!contact) return null;
  return (
    <form
      className="fee-form"
      aria-label={t('contestTitle', { order: contact.order ?? contact.contactId })}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await request('POST', `${base}/fees/contests`, {
            body: { contactId: contact.contactId, reason, comment },
          });
          onDone();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>{t('contestTitle', { order: contact.order ?? contact.contactId })}</h3>
      <SelectField
        label={t('contestReason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        options={contestReasons.map((r) => ({ value: r, label: t(`contestReasonName.${r}`) }))}
      />
      <TextArea
        label={t('comment')}
        value={comment}
        maxLength={2000}
        onChange={(e) => setComment(e.target.value)}
      />
      {error ? <ErrorMessage error={error} /> : null}
      <Button type="submit" busy={busy}>
        {t('sendContest')}
      </Button>{' '}
      <Button variant="secondary" onClick={onDone}>
        {t('cancel')}
      </Button>
    </form>
  );
}
