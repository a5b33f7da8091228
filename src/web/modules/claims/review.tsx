// The claims reviewer's work (T1–T3): the claims waiting, oldest first; one claim with the facts it rests
// on, the seller's evidence and the history; asking the seller for information, and deciding — grant,
// grant in part, or deny with a reason — once per decision (an idempotency key per form).
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatDateTime, formatMoney } from '../../shared/format';
import { Button, SelectField, TextArea, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { DataTable } from '../../shared/table';
import { useApi } from '../../shared/use-api';
import type { Claim } from './ClaimsPage';

type ReviewedClaim = Claim & { facts: ClaimFacts };
type ClaimFacts = {
  orderValue?: number;
  refunds?: { items: number; shipping: number; refundedAt: string }[];
  return?: {
    authorisedAt: string | null;
    receivedAt: string | null;
    carrierScanned: boolean;
    buyerFault: boolean;
  } | null;
};

const DENIAL_REASONS = [
  'evidence_insufficient',
  'buyer_not_at_fault',
  'item_returned_as_sold',
  'refund_was_due_under_policy',
] as const;

export function ClaimsReviewPage() {
  const { t, i18n } = useTranslation('claims');
  const queue = useApi(() => api.get<ReviewedClaim[]>('/api/v1/claims/queue'), []);
  return (
    <Page title={t('title')}>
      <p>{t('reviewIntro')}</p>
      <ErrorMessage error={queue.error} />
      {queue.data && (
        <DataTable
          caption={t('queueHeading')}
          rows={queue.data}
          rowKey={(c) => c.id}
          empty={t('queueEmpty')}
          columns={[
            {
              header: t('order'),
              cell: (c) => <Link href={`/claims/${c.id}`}>{c.orderExternalId}</Link>,
            },
            { header: t('marketplace'), cell: (c) => c.marketplace },
            { header: t('reason'), cell: (c) => t(`reasons.${c.reason}`, { defaultValue: c.reason }) },
            {
              header: t('requestedHeader'),
              numeric: true,
              cell: (c) => formatMoney(c.requestedAmount, c.currency, i18n.language),
            },
            {
              header: t('statusHeader'),
              cell: (c) =>
                `${t(`status.${c.status}`, { defaultValue: c.status })} · ${t(`stage.${c.stage}`, { defaultValue: c.stage })}`,
            },
            { header: t('filedHeader'), cell: (c) => formatDateTime(c.filedAt, i18n.language) },
          ]}
        />
      )}
    </Page>
  );
}

export function ClaimReviewPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation('claims');
  const id = params.id ?? '';
  const claim = useApi(() => api.get<ReviewedClaim>(`/api/v1/claims/${encodeURIComponent(id)}`), [id]);
  return (
    <Page title={claim.data ? t('open', { order: claim.data.orderExternalId }) : t('title')}>
      <p>
        <Link href="/claims">{t('backToQueue')}</Link>
      </p>
      <ErrorMessage error={claim.error} />
      {claim.data && <ClaimReview claim={claim.data} onChange={claim.reload} />}
    </Page>
  );
}

function ClaimReview({ claim: c, onChange }: { claim: ReviewedClaim; onChange: () => void }) {
  const { t, i18n } = useTranslation('claims');
  const lang = i18n.language;
  const money = (minor: number) => formatMoney(minor, c.currency, lang);
  const refunded = (c.facts.refunds ?? []).reduce((sum, r) => sum + r.items + r.shipping, 0);
  const open = c.status === 'under_review' || c.status === 'awaiting_seller';
  return (
    <>
      <p className={`portal-status portal-status-${c.status}`}>
        {t(`status.${c.status}`, { defaultValue: c.status })} ·{' '}
        {t(`stage.${c.stage}`, { defaultValue: c.stage })}
      </p>
      <dl className="portal-facts">
        <div>
          <dt>{t('reason')}</dt>
          <dd>{t(`reasons.${c.reason}`, { defaultValue: c.reason })}</dd>
        </div>
        <div>
          <dt>{t('sellerSays')}</dt>
          <dd className="portal-pre">{c.description}</dd>
        </div>
        <div>
          <dt>{t('requestedHeader')}</dt>
          <dd>{money(c.requestedAmount)}</dd>
        </div>
        {c.facts.orderValue !== undefined && (
          <div>
            <dt>{t('orderValue')}</dt>
            <dd>{money(c.facts.orderValue)}</dd>
          </div>
        )}
        <div>
          <dt>{t('refundedByMarketplace')}</dt>
          <dd>{money(refunded)}</dd>
        </div>
        <div>
          <dt>{t('returnFacts')}</dt>
          <dd>
            {c.facts.return
              ? [
                  c.facts.return.receivedAt
                    ? t('returnReceived', { when: formatDateTime(c.facts.return.receivedAt, lang) })
                    : t('returnNotReceived'),
                  c.facts.return.carrierScanned ? t('returnScanned') : t('returnNotScanned'),
                  c.facts.return.buyerFault ? t('buyerFault') : t('notBuyerFault'),
                ].join(' · ')
              : t('noReturn')}
          </dd>
        </div>
        {c.replyBy && (
          <div>
            <dt>{t('replyByHeader')}</dt>
            <dd>{formatDateTime(c.replyBy, lang)}</dd>
          </div>
        )}
      </dl>

      <h2>{t('evidenceHeading')}</h2>
      {c.evidence.length === 0 ? (
        <p>{t('noEvidence')}</p>
      ) : (
        <ul>
          {c.evidence.map((e) => (
            <li key={e.id}>
              <a href={`/api/v1/claims/${c.id}/evidence/${e.id}`} download={e.filename}>
                {t('download', { file: e.filename })}
              </a>{' '}
              ({Math.ceil(e.sizeBytes / 1024)} KB)
            </li>
          ))}
        </ul>
      )}

      <h2>{t('history')}</h2>
      <ol className="portal-history">
        {c.events.map((e) => (
          <li key={`${e.kind}-${e.at}`}>
            <strong>{t(`reviewEvent.${e.kind}`, { defaultValue: e.kind })}</strong> ·{' '}
            {formatDateTime(e.at, lang)}
            {e.note && <p className="portal-pre">{e.note}</p>}
          </li>
        ))}
      </ol>

      {open && <AskSeller claimId={c.id} onDone={onChange} />}
      {open && <Decide claim={c} onDone={onChange} />}
    </>
  );
}

/** A form's submission: busy while it runs, its error kept to show, `then` once it has succeeded. */
function useSubmit(then: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = (work: () => Promise<unknown>) => async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await work();
      then();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

function AskSeller({ claimId, onDone }: { claimId: string; onDone: () => void }) {
  const { t } = useTranslation('claims');
  const [question, setQuestion] = useState('');
  const { busy, error, submit } = useSubmit(() => {
    setQuestion('');
    onDone();
  });
  return (
    <form
      onSubmit={submit(() => api.post(`/api/v1/claims/${claimId}/information-request`, { question }))}
      className="portal-form"
    >
      <h2>{t('askHeading')}</h2>
      <TextArea
        label={t('askQuestion')}
        value={question}
        onChange={(e) => setQuestion(e.target.value)}
        required
        minLength={3}
        maxLength={5000}
      />
      <ErrorMessage error={error} />
      <Button type="submit" variant="secondary" busy={busy}>
        {t('askSend')}
      </Button>
    </form>
  );
}

function Decide({ claim: c, onDone }: { claim: ReviewedClaim; onDone: () => void }) {
  const { t } = useTranslation('claims');
  const [outcome, setOutcome] = useState<'grant' | 'partial' | 'deny'>('grant');
  const [amount, setAmount] = useState('');
  const [denialReason, setDenialReason] = useState<string>(DENIAL_REASONS[0]);
  const [note, setNote] = useState('');
  const { busy, error, submit } = useSubmit(onDone);
  // One key per decision form: a second click, or a retry after a lost answer, moves the money once.
  const [key] = useState(() => crypto.randomUUID());
  const decide = () =>
    api.post(
      `/api/v1/claims/${c.id}/decision`,
      {
        outcome,
        note,
        ...(outcome === 'partial' ? { amount: Math.round(Number(amount.replace(',', '.')) * 100) } : {}),
        ...(outcome === 'deny' ? { denialReason } : {}),
      },
      undefined,
      { 'idempotency-key': key },
    );
  return (
    <form onSubmit={submit(decide)} className="portal-form">
      <h2>{t('decideHeading')}</h2>
      <SelectField
        label={t('outcome')}
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as typeof outcome)}
        options={(['grant', 'partial', 'deny'] as const).map((o) => ({
          value: o,
          label: t(`outcomes.${o}`),
        }))}
      />
      {outcome === 'partial' && (
        <TextField
          label={t('partialAmount', { currency: c.currency })}
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          required
          pattern="[0-9]+([.,][0-9]{1,2})?"
        />
      )}
      {outcome === 'deny' && (
        <SelectField
          label={t('denialReason')}
          value={denialReason}
          onChange={(e) => setDenialReason(e.target.value)}
          options={DENIAL_REASONS.map((r) => ({ value: r, label: t(`denial.${r}`) }))}
        />
      )}
      <TextArea
        label={t('decisionNote')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        required
        minLength={3}
        maxLength={5000}
      />
      <ErrorMessage error={error} />
      <Button type="submit" busy={busy}>
        {t('decide')}
      </Button>
    </form>
  );
}
