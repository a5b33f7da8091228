import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, query } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatDate, formatDateTime, formatMoney } from '../../shared/format';
import { Button, SelectField, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { DataTable } from '../../shared/table';
import { Notice, useLoad } from './admin-parts';
import {
  dayIn,
  effectiveInstant,
  firstOfNextMonthIn,
  startOfDayIn,
  toMajorText,
  toMinorUnits,
} from './admin-values';
import { loadMarketplaces, type Marketplace } from './marketplaces-page';

// One marketplace's policies (DESIGN rule 7: data, per marketplace, effective-dated): what is in force
// on a chosen day, and each policy changed from a date — midnight in the marketplace's own zone.

const returnPolicy = z.object({
  windowDays: z.number(),
  categoryWindowDays: z.record(z.string(), z.number()),
  holidayExtension: z
    .object({ shippedFrom: z.string(), shippedTo: z.string(), until: z.string() })
    .nullable(),
  nonReturnableCategories: z.array(z.string()),
  sellerRefundBusinessDays: z.number(),
});
const returnChanges = z.array(
  z.object({ effectiveFrom: z.string(), windowDays: z.number(), sellerRefundBusinessDays: z.number() }),
);
const slaTargets = z.object({
  firstResponseMinutes: z.number(),
  nextResponseMinutes: z.number(),
  warningPercent: z.number(),
});
const slaAnswer = z.object({
  at: z.string(),
  inForce: z.object({ chat: slaTargets, email: slaTargets, phone: slaTargets }),
  changes: z.array(slaTargets.extend({ channel: z.string(), effectiveFrom: z.string() })),
});
const claimPolicy = z.object({
  filingWindowDays: z.number(),
  capMajorUnits: z.number(),
  buyerDamageMaxPercent: z.number(),
  noReturnScanDays: z.number(),
  replyByDays: z.number(),
  appealByDays: z.number(),
});
const approvalLimits = z.object({ agent: z.number(), supervisor: z.number() });
const channels = ['chat', 'email', 'phone'] as const;

export function MarketplacePoliciesPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation('marketplace');
  const marketplaces = useLoad(loadMarketplaces, []);
  const marketplace = marketplaces.data?.find((m) => m.id === params.id);
  if (marketplaces.loading && !marketplaces.data)
    return (
      <Page title={t('policiesTitle')}>
        <p role="status">{t('loading')}</p>
      </Page>
    );
  if (!marketplace)
    return (
      <Page title={t('marketplaceNotFound')}>
        <ErrorMessage error={marketplaces.error} />
        <Link href="/admin/marketplaces">{t('backToMarketplaces')}</Link>
      </Page>
    );
  return <Policies marketplace={marketplace} />;
}

function Policies({ marketplace }: { marketplace: Marketplace }) {
  const { t } = useTranslation('marketplace');
  const zone = marketplace.timeZone;
  const today = dayIn(new Date(), zone);
  const [viewDay, setViewDay] = useState(today);
  const [version, setVersion] = useState(0);
  const viewAt = !viewDay || viewDay === today ? new Date().toISOString() : startOfDayIn(viewDay, zone);
  const saved = () => setVersion((v) => v + 1);
  const shared = { marketplace, viewAt, version, onSaved: saved };
  return (
    <Page title={t('policiesOf', { name: marketplace.name })}>
      <p>
        <Link href="/admin/marketplaces">{t('backToMarketplaces')}</Link>
      </p>
      <section className="admin-section" aria-labelledby="view-day">
        <h2 id="view-day">{t('inForceOn')}</h2>
        <div className="admin-form">
          <TextField
            label={t('viewDay')}
            hint={t('zoneHint', { zone })}
            type="date"
            value={viewDay}
            onChange={(e) => setViewDay(e.target.value)}
          />
          <div className="admin-actions">
            <Button variant="secondary" onClick={() => setViewDay(today)}>
              {t('today')}
            </Button>
            <Button variant="secondary" onClick={() => setViewDay(firstOfNextMonthIn(new Date(), zone))}>
              {t('nextMonth')}
            </Button>
          </div>
        </div>
        <p data-testid="viewing">{t('viewing', { day: formatDate(viewDay || today) })}</p>
      </section>
      <ReturnsSection {...shared} />
      <SlaSection {...shared} />
      <ClaimsSection {...shared} />
      <LimitsSection {...shared} />
    </Page>
  );
}

type SectionProps = { marketplace: Marketplace; viewAt: string; version: number; onSaved: () => void };

/** The "in force from" day of a change, with a shortcut to next month's first day. */
function EffectiveFrom({
  zone,
  value,
  onChange,
}: {
  zone: string;
  value: string;
  onChange: (day: string) => void;
}) {
  const { t } = useTranslation('marketplace');
  return (
    <>
      <TextField
        label={t('effectiveFrom')}
        hint={t('effectiveFromHint', { zone })}
        type="date"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <div className="admin-actions">
        <Button variant="secondary" onClick={() => onChange(firstOfNextMonthIn(new Date(), zone))}>
          {t('fromNextMonth')}
        </Button>
      </div>
    </>
  );
}

/** Saving a change: the day checked, the request sent, the answer shown in words. */
function useSave(zone: string, onSaved: () => void) {
  const { t } = useTranslation('marketplace');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dayError, setDayError] = useState<string | null>(null);
  const save = async (day: string, send: (effectiveFrom: string) => Promise<unknown>) => {
    setNotice(null);
    setError(null);
    const when = effectiveInstant(day, zone, new Date());
    if (!when.ok) {
      setDayError(t(when.reason === 'in_the_past' ? 'dayInThePast' : 'notADay'));
      return;
    }
    setDayError(null);
    setBusy(true);
    try {
      await send(when.at);
      setNotice(t('savedFrom', { when: formatDateTime(when.at, undefined, zone) }));
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, notice, dayError, save };
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="admin-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function InForce({ rows }: { rows: readonly [string, ReactNode][] }) {
  return (
    <dl className="in-force">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const whenState = (from: string, all: readonly { effectiveFrom: string }[], now = Date.now()) => {
  const current = [...all].filter((c) => Date.parse(c.effectiveFrom) <= now).pop();
  if (Date.parse(from) > now) return 'scheduled';
  return current?.effectiveFrom === from ? 'current' : 'past';
};

const intOf = (text: string) => (/^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

function ReturnsSection({ marketplace, viewAt, version, onSaved }: SectionProps) {
  const { t } = useTranslation('marketplace');
  const m = marketplace.id;
  const zone = marketplace.timeZone;
  const policy = useLoad(
    () => api.get(`/api/v1/marketplaces/${m}/return-policy${query({ at: viewAt })}`, returnPolicy),
    [m, viewAt, version],
  );
  const changes = useLoad(
    () => api.get(`/api/v1/admin/marketplaces/${m}/return-policy/changes`, returnChanges),
    [m, version],
  );
  const [form, setForm] = useState<{ windowDays: string; refundDays: string; day: string } | null>(null);
  const { busy, error, notice, dayError, save } = useSave(zone, () => {
    setForm(null);
    onSaved();
  });
  const p = policy.data;
  const values = form ?? {
    windowDays: p ? String(p.windowDays) : '',
    refundDays: p ? String(p.sellerRefundBusinessDays) : '',
    day: '',
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!p) return;
    void save(values.day, (effectiveFrom) =>
      api.put(`/api/v1/admin/marketplaces/${m}/return-policy`, {
        ...p,
        windowDays: intOf(values.windowDays),
        sellerRefundBusinessDays: intOf(values.refundDays),
        effectiveFrom,
      }),
    );
  };
  return (
    <Section id="returns-policy" title={t('returnsTitle')}>
      <ErrorMessage error={policy.error ?? changes.error} />
      {p && (
        <InForce
          rows={[
            [
              t('returnWindowDays'),
              <span key="window" data-testid="return-window-in-force">
                {p.windowDays}
              </span>,
            ],
            [t('sellerRefundDays'), p.sellerRefundBusinessDays],
            [
              t('categoryWindows'),
              // Categories are the catalogue's own identifiers, shown as such.
              Object.keys(p.categoryWindowDays).length > 0 ? (
                <span key="windows">
                  {Object.entries(p.categoryWindowDays).map(([c, d], n) => (
                    <span key={c}>
                      {n > 0 ? ', ' : ''}
                      <code>{c}</code>: {d}
                    </span>
                  ))}
                </span>
              ) : (
                t('none')
              ),
            ],
            [
              t('nonReturnable'),
              p.nonReturnableCategories.length > 0 ? (
                <span key="none-returnable">
                  {p.nonReturnableCategories.map((c, n) => (
                    <span key={c}>
                      {n > 0 ? ', ' : ''}
                      <code>{c}</code>
                    </span>
                  ))}
                </span>
              ) : (
                t('none')
              ),
            ],
          ]}
        />
      )}
      {p && (
        <form className="admin-form" onSubmit={submit} aria-label={t('changeReturns')}>
          <TextField
            label={t('returnWindowDays')}
            type="number"
            min={1}
            max={365}
            required
            value={values.windowDays}
            onChange={(e) => setForm({ ...values, windowDays: e.target.value })}
          />
          <TextField
            label={t('sellerRefundDaysField')}
            type="number"
            min={1}
            max={30}
            required
            value={values.refundDays}
            onChange={(e) => setForm({ ...values, refundDays: e.target.value })}
          />
          <EffectiveFrom zone={zone} value={values.day} onChange={(day) => setForm({ ...values, day })} />
          {dayError && (
            <p className="field-error wide" role="alert">
              {dayError}
            </p>
          )}
          <div className="admin-actions wide">
            <Button type="submit" busy={busy}>
              {t('saveReturns')}
            </Button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
      <Notice text={notice} />
      {changes.data && (
        <DataTable
          caption={t('changesCaption')}
          empty={t('noChanges')}
          rows={changes.data}
          rowKey={(c) => c.effectiveFrom}
          columns={[
            { header: t('from'), cell: (c) => formatDateTime(c.effectiveFrom, undefined, zone) },
            { header: t('returnWindowDays'), cell: (c) => c.windowDays, numeric: true },
            {
              header: t('sellerRefundDays'),
              cell: (c) => c.sellerRefundBusinessDays,
              numeric: true,
            },
            { header: t('state'), cell: (c) => t(`state_${whenState(c.effectiveFrom, changes.data ?? [])}`) },
          ]}
        />
      )}
    </Section>
  );
}

function SlaSection({ marketplace, viewAt, version, onSaved }: SectionProps) {
  const { t } = useTranslation('marketplace');
  const m = marketplace.id;
  const zone = marketplace.timeZone;
  const sla = useLoad(
    () => api.get(`/api/v1/admin/sla/${m}${query({ at: viewAt })}`, slaAnswer),
    [m, viewAt, version],
  );
  const [channel, setChannel] = useState<(typeof channels)[number]>('email');
  const [form, setForm] = useState<{ first: string; next: string; warning: string; day: string } | null>(
    null,
  );
  const { busy, error, notice, dayError, save } = useSave(zone, () => {
    setForm(null);
    onSaved();
  });
  const current = sla.data?.inForce[channel];
  const values = form ?? {
    first: current ? String(current.firstResponseMinutes) : '',
    next: current ? String(current.nextResponseMinutes) : '',
    warning: current ? String(current.warningPercent) : '80',
    day: '',
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(values.day, (effectiveFrom) =>
      api.put(`/api/v1/admin/sla/${m}/${channel}`, {
        effectiveFrom,
        firstResponseMinutes: intOf(values.first),
        nextResponseMinutes: intOf(values.next),
        warningPercent: intOf(values.warning),
      }),
    );
  };
  return (
    <Section id="sla-policy" title={t('slaTitle')}>
      <ErrorMessage error={sla.error} />
      {sla.data && (
        <DataTable
          caption={t('slaInForce')}
          rows={channels.map((c) => ({ channel: c, ...sla.data!.inForce[c] }))}
          rowKey={(r) => r.channel}
          columns={[
            { header: t('channel'), cell: (r) => t(`channel_${r.channel}`) },
            { header: t('firstResponseMinutes'), cell: (r) => r.firstResponseMinutes, numeric: true },
            { header: t('nextResponseMinutes'), cell: (r) => r.nextResponseMinutes, numeric: true },
            { header: t('warningAt'), cell: (r) => `${r.warningPercent} %`, numeric: true },
          ]}
        />
      )}
      {current && (
        <form className="admin-form" onSubmit={submit} aria-label={t('changeSla')}>
          <SelectField
            label={t('channel')}
            value={channel}
            options={channels.map((c) => ({ value: c, label: t(`channel_${c}`) }))}
            onChange={(e) => {
              setChannel(e.target.value as (typeof channels)[number]);
              setForm(null);
            }}
          />
          <TextField
            label={t('firstResponseMinutes')}
            type="number"
            min={1}
            required
            value={values.first}
            onChange={(e) => setForm({ ...values, first: e.target.value })}
          />
          <TextField
            label={t('nextResponseMinutes')}
            type="number"
            min={1}
            required
            value={values.next}
            onChange={(e) => setForm({ ...values, next: e.target.value })}
          />
          <TextField
            label={t('warningPercent')}
            type="number"
            min={1}
            max={99}
            required
            value={values.warning}
            onChange={(e) => setForm({ ...values, warning: e.target.value })}
          />
          <EffectiveFrom zone={zone} value={values.day} onChange={(day) => setForm({ ...values, day })} />
          {dayError && (
            <p className="field-error wide" role="alert">
              {dayError}
            </p>
          )}
          <div className="admin-actions wide">
            <Button type="submit" busy={busy}>
              {t('saveSla')}
            </Button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
      <Notice text={notice} />
      {sla.data && (
        <DataTable
          caption={t('changesCaption')}
          empty={t('noChanges')}
          rows={sla.data.changes}
          rowKey={(c) => `${c.channel}-${c.effectiveFrom}`}
          columns={[
            { header: t('from'), cell: (c) => formatDateTime(c.effectiveFrom, undefined, zone) },
            { header: t('channel'), cell: (c) => t(`channel_${c.channel}`) },
            { header: t('firstResponseMinutes'), cell: (c) => c.firstResponseMinutes, numeric: true },
            { header: t('nextResponseMinutes'), cell: (c) => c.nextResponseMinutes, numeric: true },
          ]}
        />
      )}
    </Section>
  );
}

const claimFields = [
  'filingWindowDays',
  'capMajorUnits',
  'buyerDamageMaxPercent',
  'noReturnScanDays',
  'replyByDays',
  'appealByDays',
] as const;

function ClaimsSection({ marketplace, viewAt, version, onSaved }: SectionProps) {
  const { t } = useTranslation('marketplace');
  const m = marketplace.id;
  const zone = marketplace.timeZone;
  const policy = useLoad(
    () => api.get(`/api/v1/marketplaces/${m}/claim-policy${query({ at: viewAt })}`, claimPolicy),
    [m, viewAt, version],
  );
  const [form, setForm] = useState<Record<(typeof claimFields)[number] | 'day', string> | null>(null);
  const { busy, error, notice, dayError, save } = useSave(zone, () => {
    setForm(null);
    onSaved();
  });
  const p = policy.data;
  const values =
    form ??
    ({
      ...Object.fromEntries(claimFields.map((f) => [f, p ? String(p[f]) : ''])),
      day: '',
    } as Record<(typeof claimFields)[number] | 'day', string>);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(values.day, (effectiveFrom) =>
      api.put(`/api/v1/admin/marketplaces/${m}/claim-policy`, {
        ...Object.fromEntries(claimFields.map((f) => [f, intOf(values[f])])),
        effectiveFrom,
      }),
    );
  };
  return (
    <Section id="claims-policy" title={t('claimsTitle')}>
      <ErrorMessage error={policy.error} />
      {p && (
        <InForce
          rows={claimFields.map((f) => [
            t(`claim_${f}`),
            f === 'capMajorUnits'
              ? formatMoney(toMinorUnits(String(p[f]), marketplace.currency) ?? 0, marketplace.currency)
              : f === 'buyerDamageMaxPercent'
                ? `${p[f]} %`
                : p[f],
          ])}
        />
      )}
      {p && (
        <form className="admin-form" onSubmit={submit} aria-label={t('changeClaims')}>
          {claimFields.map((f) => (
            <TextField
              key={f}
              label={t(`claim_${f}`)}
              type="number"
              min={0}
              required
              value={values[f]}
              onChange={(e) => setForm({ ...values, [f]: e.target.value })}
            />
          ))}
          <EffectiveFrom zone={zone} value={values.day} onChange={(day) => setForm({ ...values, day })} />
          {dayError && (
            <p className="field-error wide" role="alert">
              {dayError}
            </p>
          )}
          <div className="admin-actions wide">
            <Button type="submit" busy={busy}>
              {t('saveClaims')}
            </Button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
      <Notice text={notice} />
    </Section>
  );
}

function LimitsSection({ marketplace, viewAt, version, onSaved }: SectionProps) {
  const { t } = useTranslation('marketplace');
  const m = marketplace.id;
  const zone = marketplace.timeZone;
  const currency = marketplace.currency;
  const limits = useLoad(
    () => api.get(`/api/v1/marketplaces/${m}/approval-limits${query({ at: viewAt })}`, approvalLimits),
    [m, viewAt, version],
  );
  const [form, setForm] = useState<{ agent: string; supervisor: string; day: string } | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);
  const { busy, error, notice, dayError, save } = useSave(zone, () => {
    setForm(null);
    onSaved();
  });
  const l = limits.data;
  const values = form ?? {
    agent: l ? toMajorText(l.agent, currency) : '',
    supervisor: l ? toMajorText(l.supervisor, currency) : '',
    day: '',
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const agent = toMinorUnits(values.agent, currency);
    const supervisor = toMinorUnits(values.supervisor, currency);
    if (agent === null || supervisor === null) {
      setAmountError(t('notAnAmount', { currency }));
      return;
    }
    setAmountError(null);
    void save(values.day, (effectiveFrom) =>
      api.put(`/api/v1/admin/marketplaces/${m}/approval-limits`, { agent, supervisor, effectiveFrom }),
    );
  };
  return (
    <Section id="approval-limits" title={t('limitsTitle')}>
      <p>{t('limitsIntro')}</p>
      <ErrorMessage error={limits.error} />
      {l && (
        <InForce
          rows={[
            [t('agentLimit'), formatMoney(l.agent, currency)],
            [t('supervisorLimit'), formatMoney(l.supervisor, currency)],
          ]}
        />
      )}
      {l && (
        <form className="admin-form" onSubmit={submit} aria-label={t('changeLimits')}>
          <TextField
            label={t('agentLimitField', { currency })}
            inputMode="decimal"
            required
            value={values.agent}
            error={amountError}
            onChange={(e) => setForm({ ...values, agent: e.target.value })}
          />
          <TextField
            label={t('supervisorLimitField', { currency })}
            inputMode="decimal"
            required
            value={values.supervisor}
            onChange={(e) => setForm({ ...values, supervisor: e.target.value })}
          />
          <EffectiveFrom zone={zone} value={values.day} onChange={(day) => setForm({ ...values, day })} />
          {dayError && (
            <p className="field-error wide" role="alert">
              {dayError}
            </p>
          )}
          <div className="admin-actions wide">
            <Button type="submit" busy={busy}>
              {t('saveLimits')}
            </Button>
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
      <Notice text={notice} />
    </Section>
  );
}
