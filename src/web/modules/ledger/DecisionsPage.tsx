// Decisions on the seller's orders (S3, D9, D10): what was decided, how much, the reason, the rule and
// the facts; the carrier-claim package where a delivery problem caused the refund; and the way to a
// reimbursement claim for an issued refund.
import { useTranslation } from 'react-i18next';
import { useCodeWords } from '../../shared/codes/codes';
import { Link } from '../../shared/router';
import {
  api,
  ErrorNotice,
  FactList,
  formatDateTime,
  formatMoney,
  Loading,
  PortalPage,
  useResource,
} from '../programs/portal-kit';

export type SellerDecision = {
  id: string;
  orderExternalId: string;
  action: string;
  reasonCode: string;
  status: string;
  amount: { items: number; shipping: number; currency: string } | null;
  rule: string | null;
  explanation: string | null;
  facts: Record<string, unknown>;
  decidedAt: string;
  carrierClaim: {
    reason: 'lost' | 'damaged';
    carrier: string;
    trackingNumber: string;
    shippedAt: string;
    deliveredAt: string | null;
    events: { code: string; occurredAt: string; location: string | null }[];
    declaredValue: { amount: number; currency: string };
  } | null;
  reimbursement?: { eligibility: string } | null;
};

export function DecisionsPage() {
  const { t } = useTranslation('ledger');
  const decisions = useResource(() => api<SellerDecision[]>('GET', '/api/v1/seller/decisions'));
  return (
    <PortalPage title={t('decisionsTitle')}>
      <p className="portal-hint">{t('decisionsHint')}</p>
      {decisions.error && <ErrorNotice error={decisions.error} />}
      {!decisions.data && !decisions.error && <Loading />}
      {decisions.data?.length === 0 && <p>{t('noDecisions')}</p>}
      <ul className="portal-cards">
        {decisions.data?.map((d) => (
          <li key={`${d.action}-${d.id}`}>
            <Decision decision={d} />
          </li>
        ))}
      </ul>
    </PortalPage>
  );
}

export function Decision({ decision: d }: { decision: SellerDecision }) {
  const { t, i18n } = useTranslation('ledger');
  const code = useCodeWords();
  const lang = i18n.language;
  const money = (minor: number, currency: string) => formatMoney(minor, currency, lang);
  const headingId = `decision-${d.id}`;
  return (
    <article className="portal-card" aria-labelledby={headingId} data-decision={d.id}>
      <h2 id={headingId}>
        {t(`action.${d.action}`, { defaultValue: d.action })} · {t('order', { order: d.orderExternalId })}
      </h2>
      <p className={`portal-status portal-status-${d.status}`}>
        {t(`decisionStatus.${d.status}`, { defaultValue: d.status })} ·{' '}
        {t('decidedAt', { when: formatDateTime(d.decidedAt, lang) })}
      </p>
      <dl className="portal-facts">
        {d.amount && (
          <div>
            <dt>{t('amount')}</dt>
            <dd>
              <strong>{money(d.amount.items + d.amount.shipping, d.amount.currency)}</strong> (
              {t('items', { amount: money(d.amount.items, d.amount.currency) })},{' '}
              {t('shipping', { amount: money(d.amount.shipping, d.amount.currency) })})
            </dd>
          </div>
        )}
        <div>
          <dt>{t('reasonLabel')}</dt>
          <dd>{t(`reason.${d.reasonCode}`, { defaultValue: d.reasonCode })}</dd>
        </div>
        {(d.rule || d.explanation) && (
          <div>
            <dt>{t('ruleLabel')}</dt>
            <dd>
              {d.rule ? code('rule', d.rule) : null}
              {/* The server's explanation holds the facts and is English only: marked so, on every page. */}
              {d.explanation ? (
                <span lang="en">
                  {d.rule ? '. ' : ''}
                  {d.explanation}
                </span>
              ) : null}
            </dd>
          </div>
        )}
      </dl>
      {Object.keys(d.facts).length > 0 && (
        <details>
          <summary>{t('factsLabel')}</summary>
          <FactList facts={d.facts} />
        </details>
      )}
      {d.carrierClaim && (
        <section className="portal-carrier-claim" aria-label={t('carrierClaim')}>
          <h3>
            {t('carrierClaim')}: {t(`carrierClaimKind.${d.carrierClaim.reason}`)}
          </h3>
          <p>{t('carrierClaimHint')}</p>
          <dl className="portal-facts">
            <div>
              <dt>{t('carrier')}</dt>
              <dd>{d.carrierClaim.carrier}</dd>
            </div>
            <div>
              <dt>{t('tracking')}</dt>
              <dd>{d.carrierClaim.trackingNumber}</dd>
            </div>
            <div>
              <dt>{t('shippedAt')}</dt>
              <dd>{formatDateTime(d.carrierClaim.shippedAt, lang)}</dd>
            </div>
            {d.carrierClaim.deliveredAt && (
              <div>
                <dt>{t('deliveredAt')}</dt>
                <dd>{formatDateTime(d.carrierClaim.deliveredAt, lang)}</dd>
              </div>
            )}
            <div>
              <dt>{t('declaredValue')}</dt>
              <dd>{money(d.carrierClaim.declaredValue.amount, d.carrierClaim.declaredValue.currency)}</dd>
            </div>
          </dl>
          <h4>{t('carrierEvents')}</h4>
          <ol>
            {d.carrierClaim.events.map((e) => (
              <li key={`${e.code}-${e.occurredAt}`}>
                <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt, lang)}</time>{' '}
                {code('carrierEvent', e.code)}
                {e.location && ` · ${e.location}`}
              </li>
            ))}
          </ol>
        </section>
      )}
      {d.reimbursement && (
        <p>
          <Link href={`/seller/claims?order=${encodeURIComponent(d.orderExternalId)}`}>
            {t('fileClaim', { order: d.orderExternalId })}
          </Link>
        </p>
      )}
    </article>
  );
}
