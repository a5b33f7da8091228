// Reimbursement claims (T1, T2): check whether a refund can be claimed and why not, file a claim with
// evidence (PNG, JPEG, PDF), and see every claim with its state.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../shared/router';
import {
  type ApiError,
  api,
  ErrorNotice,
  formatDate,
  formatDateTime,
  formatMoney,
  Loading,
  newIdempotencyKey,
  PortalPage,
  useResource,
} from '../programs/portal-kit';
import { EVIDENCE_TYPES, evidenceOf, minorOf } from './evidence-files';

export const claimReasons = [
  'item_not_returned',
  'returned_damaged_by_buyer',
  'returned_different_item',
  'delivered_not_received_with_proof',
  'returned_outside_window',
  'return_shipping_wrongly_refunded',
  'other',
] as const;

export type Claim = {
  id: string;
  marketplace: string;
  orderExternalId: string;
  reason: string;
  description: string;
  status: string;
  stage: string;
  currency: string;
  requestedAmount: number;
  grantedAmount: number;
  decision: Record<string, unknown> | null;
  replyBy: string | null;
  appealBy: string | null;
  filedAt: string;
  decidedAt: string | null;
  events: { kind: string; actor: string; note: string | null; at: string }[];
  evidence: { id: string; filename: string; contentType: string; sizeBytes: number }[];
};
type Eligibility = {
  eligible: boolean;
  currency: string;
  maxAmount: number;
  windowEndsAt: string | null;
  problems: { code: string; message: string }[];
};

export function ClaimsPage() {
  const { t } = useTranslation('claims');
  const claims = useResource(() => api<Claim[]>('GET', '/api/v1/seller/claims'));
  const initialOrder =
    typeof location === 'undefined' ? '' : (new URLSearchParams(location.search).get('order') ?? '');
  return (
    <PortalPage title={t('sellerTitle')}>
      <p className="portal-hint">{t('hint')}</p>
      <NewClaim initialOrder={initialOrder} onFiled={claims.reload} />
      <section aria-labelledby="claims-list">
        <h2 id="claims-list">{t('listHeading')}</h2>
        {claims.error && <ErrorNotice error={claims.error} />}
        {!claims.data && !claims.error && <Loading />}
        {claims.data?.length === 0 && <p>{t('noClaims')}</p>}
        <ul className="portal-cards">
          {claims.data?.map((c) => (
            <li key={c.id}>
              <ClaimSummary claim={c} />
            </li>
          ))}
        </ul>
      </section>
    </PortalPage>
  );
}

export function ClaimSummary({ claim: c }: { claim: Claim }) {
  const { t, i18n } = useTranslation('claims');
  const lang = i18n.language;
  return (
    <article className="portal-card">
      <h3>
        <Link href={`/seller/claims/${c.id}`}>{t('open', { order: c.orderExternalId })}</Link>
      </h3>
      <p className={`portal-status portal-status-${c.status}`}>
        {t(`status.${c.status}`, { defaultValue: c.status })} ·{' '}
        {t(`stage.${c.stage}`, { defaultValue: c.stage })}
      </p>
      <p>
        {t(`reasons.${c.reason}`, { defaultValue: c.reason })} ·{' '}
        {t('requested', { amount: formatMoney(c.requestedAmount, c.currency, lang) })}
        {c.grantedAmount > 0 &&
          ` · ${t('granted', { amount: formatMoney(c.grantedAmount, c.currency, lang) })}`}
      </p>
      <p className="portal-hint">
        {t('filedAt', { when: formatDateTime(c.filedAt, lang) })}
        {c.replyBy && ` · ${t('replyBy', { when: formatDateTime(c.replyBy, lang) })}`}
      </p>
    </article>
  );
}

function NewClaim({ initialOrder, onFiled }: { initialOrder: string; onFiled: () => void }) {
  const { t, i18n } = useTranslation('claims');
  const lang = i18n.language;
  const [order, setOrder] = useState(initialOrder);
  const [reason, setReason] = useState<(typeof claimReasons)[number]>('item_not_returned');
  const [eligibility, setEligibility] = useState<Eligibility | null>(null);
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<FileList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [filed, setFiled] = useState<Claim | null>(null);
  // One key per claim being written: a second press of the button files it once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);

  async function check(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFiled(null);
    try {
      const q = new URLSearchParams({ order: order.trim(), reason });
      setEligibility(await api<Eligibility>('GET', `/api/v1/seller/claims/eligibility?${q}`));
    } catch (err) {
      setEligibility(null);
      setError(err as ApiError);
    }
  }

  async function file(e: FormEvent) {
    e.preventDefault();
    if (!eligibility) return;
    setError(null);
    try {
      const minor = minorOf(amount, eligibility.currency);
      const claim = await api<Claim>(
        'POST',
        '/api/v1/seller/claims',
        {
          orderExternalId: order.trim(),
          reason,
          ...(minor === null ? {} : { amount: minor }),
          description,
          evidence: await evidenceOf(files),
        },
        { 'idempotency-key': idempotencyKey },
      );
      setFiled(claim);
      setEligibility(null);
      setDescription('');
      setAmount('');
      setFiles(null);
      setIdempotencyKey(newIdempotencyKey());
      onFiled();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <section aria-labelledby="new-claim">
      <h2 id="new-claim">{t('newHeading')}</h2>
      <form onSubmit={check} className="portal-form">
        <label htmlFor="claim-order">{t('order')}</label>
        <input
          id="claim-order"
          required
          maxLength={128}
          value={order}
          onChange={(e) => {
            setOrder(e.target.value);
            setEligibility(null);
          }}
        />
        <label htmlFor="claim-reason">{t('reason')}</label>
        <select
          id="claim-reason"
          value={reason}
          onChange={(e) => {
            setReason(e.target.value as (typeof claimReasons)[number]);
            setEligibility(null);
          }}
        >
          {claimReasons.map((r) => (
            <option key={r} value={r}>
              {t(`reasons.${r}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t('check')}</button>
      </form>
      {eligibility && !eligibility.eligible && (
        <div role="alert" className="portal-warning">
          <p>{t('notEligible')}</p>
          <ul>
            {eligibility.problems.map((p) => (
              <li key={p.code}>{t(`problem.${p.code}`, { defaultValue: p.message })}</li>
            ))}
          </ul>
        </div>
      )}
      {eligibility?.eligible && (
        <form onSubmit={file} className="portal-form">
          <p role="status">
            {t('eligible', {
              amount: formatMoney(eligibility.maxAmount, eligibility.currency, lang),
              date: formatDate(eligibility.windowEndsAt, lang),
            })}
          </p>
          <label htmlFor="claim-amount">{t('amount', { currency: eligibility.currency })}</label>
          <input
            id="claim-amount"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
          <label htmlFor="claim-description">{t('description')}</label>
          <textarea
            id="claim-description"
            required
            minLength={3}
            maxLength={5000}
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <label htmlFor="claim-evidence">{t('evidence')}</label>
          <input
            id="claim-evidence"
            type="file"
            multiple
            accept={EVIDENCE_TYPES.join(',')}
            onChange={(e) => setFiles(e.target.files)}
          />
          {files && files.length > 0 && (
            <p>
              {t('chosenFiles')} {[...files].map((f) => f.name).join(', ')}
            </p>
          )}
          <button type="submit">{t('file')}</button>
        </form>
      )}
      {filed && (
        <p role="status" className="portal-notice">
          {t('filed')}{' '}
          <Link href={`/seller/claims/${filed.id}`}>{t('open', { order: filed.orderExternalId })}</Link>
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
