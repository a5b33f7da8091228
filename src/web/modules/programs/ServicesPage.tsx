// "Your services" (P3, P5): the managed service in each marketplace — Active, Trial until …, Not
// enrolled — with its description; enrol (the reasons in words when refused) and withdraw.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ApiError,
  api,
  ErrorNotice,
  formatDate,
  Loading,
  PortalPage,
  TableWrap,
  useResource,
  useSellerId,
} from './portal-kit';

type ServiceStatus = {
  marketplace: string;
  premium?: boolean;
  status: 'trial' | 'active' | 'not_enrolled';
  since: string | null;
  trialEndsAt: string | null;
  withdrawnAt: string | null;
};
type Services = { marketplaces: ServiceStatus[] };
type Eligibility = { eligible: boolean; reasons: { code: string; message: string }[] };

export function ServicesPage() {
  const { t } = useTranslation('programs');
  const seller = useSellerId();
  if (seller.error)
    return (
      <PortalPage title={t('title')}>
        <ErrorNotice error={seller.error} />
      </PortalPage>
    );
  if (!seller.data)
    return (
      <PortalPage title={t('title')}>
        <Loading />
      </PortalPage>
    );
  return <Services sellerId={seller.data} />;
}

function Services({ sellerId }: { sellerId: string }) {
  const { t, i18n } = useTranslation('programs');
  const lang = i18n.language;
  const base = `/api/v1/sellers/${encodeURIComponent(sellerId)}/services`;
  const services = useResource(() => api<Services>('GET', base), [base]);
  const eligibility = useResource(() => api<Eligibility>('GET', `${base}/managed-cs/eligibility`), [base]);
  const [notice, setNotice] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<ApiError | null>(null);

  const reasonText = (r: { code: string; message: string }) =>
    t(`reason.${r.code}`, { defaultValue: r.message });

  async function act(kind: 'enrolments' | 'withdrawals', marketplace: string) {
    if (kind === 'withdrawals' && !window.confirm(t('confirmWithdraw', { marketplace }))) return;
    setNotice(null);
    setRefusal(null);
    try {
      const r = await api<{ service: ServiceStatus }>('POST', `${base}/managed-cs/${kind}`, { marketplace });
      setNotice(
        kind === 'withdrawals'
          ? t('withdrawn', { marketplace })
          : r.service.trialEndsAt
            ? t('enrolledTrial', { marketplace, date: formatDate(r.service.trialEndsAt, lang) })
            : t('enrolled', { marketplace }),
      );
      services.reload();
    } catch (e) {
      setRefusal(e as ApiError);
    }
  }

  const statusText = (s: ServiceStatus) =>
    s.status === 'active'
      ? t('active')
      : s.status === 'trial'
        ? t('trialUntil', { date: formatDate(s.trialEndsAt, lang) })
        : s.withdrawnAt
          ? `${t('notEnrolled')} (${t('withdrawnOn', { date: formatDate(s.withdrawnAt, lang) })})`
          : t('notEnrolled');

  return (
    <PortalPage title={t('title')}>
      <section aria-labelledby="service-name">
        <h2 id="service-name">{t('serviceName')}</h2>
        <p>{t('serviceDescription')}</p>
        {eligibility.data &&
          (eligibility.data.eligible ? (
            <p>{t('eligible')}</p>
          ) : (
            <div className="portal-warning">
              <p>{t('notEligible')}</p>
              <ul>
                {eligibility.data.reasons.map((r) => (
                  <li key={r.code}>{reasonText(r)}</li>
                ))}
              </ul>
            </div>
          ))}
      </section>
      {notice && (
        <p role="status" className="portal-notice">
          {notice}
        </p>
      )}
      {refusal && (
        <div role="alert" className="portal-error">
          {refusal.details && refusal.details.length > 0 ? (
            <>
              <p>{t('notEligible')}</p>
              <ul>
                {refusal.details.map((d) => (
                  <li key={d.code}>{reasonText(d)}</li>
                ))}
              </ul>
            </>
          ) : (
            <ErrorNotice error={refusal} />
          )}
        </div>
      )}
      {services.error && <ErrorNotice error={services.error} />}
      {!services.data && !services.error && <Loading />}
      {services.data && (
        <TableWrap label={t('title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('marketplace')}</th>
                <th scope="col">{t('status')}</th>
                <th scope="col">{t('since')}</th>
                <th scope="col">{t('action')}</th>
              </tr>
            </thead>
            <tbody>
              {services.data.marketplaces.map((s) => (
                <tr key={s.marketplace} data-marketplace={s.marketplace}>
                  <th scope="row">{s.marketplace}</th>
                  <td>
                    <span className={`portal-status portal-status-${s.status}`}>{statusText(s)}</span>
                    {s.premium && <p className="portal-hint">{t('premium')}</p>}
                  </td>
                  <td>{formatDate(s.since, lang)}</td>
                  <td>
                    {s.status === 'not_enrolled' ? (
                      <button type="button" onClick={() => act('enrolments', s.marketplace)}>
                        {t('enrol', { marketplace: s.marketplace })}
                      </button>
                    ) : (
                      <button type="button" onClick={() => act('withdrawals', s.marketplace)}>
                        {t('withdraw', { marketplace: s.marketplace })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </PortalPage>
  );
}
