// Seller support (S5), apart from buyer customer service: the seller asks how an order was resolved or
// about a charge, and reads staff's answers. Never a buyer's conversation (K5): only staff's text.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { Button, SelectField, TextArea, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { useSession } from '../../shared/session';
import { DataTable } from '../../shared/table';
import { useApi } from '../../shared/use-api';
import { useMarketplaces } from './seller-parts';
import './billing.css';

export type SupportRequest = {
  id: string;
  seller: string;
  marketplace: string | null;
  subject: string;
  order: string | null;
  chargeMonth: string | null;
  question: string;
  status: string;
  askedAt: string;
  answer: string | null;
  answeredAt: string | null;
};

const subjects = ['order_resolution', 'charge', 'other'] as const;

export function SupportPage() {
  const { t, i18n } = useTranslation('billing');
  const { session } = useSession();
  const sellerId = session.kind === 'user' ? session.user.sellerId : null;
  const base = `/api/v1/sellers/${encodeURIComponent(sellerId ?? '')}/support-requests`;
  const list = useApi(() => request<SupportRequest[]>('GET', base), [base]);
  const marketplaces = useMarketplaces(sellerId);
  const [subject, setSubject] = useState<string>('order_resolution');
  const [marketplace, setMarketplace] = useState('');
  const [orderRef, setOrderRef] = useState('');
  const [chargeMonth, setChargeMonth] = useState('');
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const chosenMarketplace = marketplace || marketplaces.data?.[0] || '';
  return (
    <Page title={t('supportTitle')}>
      <p>{t('supportIntro')}</p>
      <form
        className="fee-form"
        aria-label={t('supportAsk')}
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          setSent(false);
          try {
            await request('POST', base, {
              body: {
                subject,
                ...(chosenMarketplace ? { marketplace: chosenMarketplace } : {}),
                ...(subject === 'order_resolution' && orderRef ? { orderRef } : {}),
                ...(subject === 'charge' && chargeMonth ? { chargeMonth } : {}),
                question,
              },
            });
            setQuestion('');
            setOrderRef('');
            setSent(true);
            list.reload();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <h2>{t('supportAsk')}</h2>
        <SelectField
          label={t('subject')}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          options={subjects.map((s) => ({ value: s, label: t(`subjectName.${s}`) }))}
        />
        {(marketplaces.data?.length ?? 0) > 0 && (
          <SelectField
            label={t('marketplace')}
            value={chosenMarketplace}
            onChange={(e) => setMarketplace(e.target.value)}
            options={(marketplaces.data ?? []).map((m) => ({ value: m, label: m }))}
          />
        )}
        {subject === 'order_resolution' && (
          <TextField
            label={t('order')}
            value={orderRef}
            required
            onChange={(e) => setOrderRef(e.target.value)}
          />
        )}
        {subject === 'charge' && (
          <TextField
            label={t('chargeMonth')}
            type="month"
            value={chargeMonth}
            required
            onChange={(e) => setChargeMonth(e.target.value)}
          />
        )}
        <TextArea
          label={t('question')}
          value={question}
          required
          maxLength={4000}
          onChange={(e) => setQuestion(e.target.value)}
        />
        {error ? <ErrorMessage error={error} /> : null}
        <p role="status">{sent ? t('supportSent') : ''}</p>
        <Button type="submit" busy={busy}>
          {t('send')}
        </Button>
      </form>
      <h2>{t('supportList')}</h2>
      {list.error ? <ErrorMessage error={list.error} /> : null}
      {list.data && <SupportTable rows={list.data} language={i18n.language} />}
    </Page>
  );
}

export function SupportTable({
  rows,
  language,
  action,
}: {
  rows: SupportRequest[];
  language: string;
  action?: (r: SupportRequest) => React.ReactNode;
}) {
  const { t } = useTranslation('billing');
  return (
    <DataTable
      caption={t('supportList')}
      captionHidden
      rows={rows}
      rowKey={(r) => r.id}
      empty={t('supportNone')}
      columns={[
        {
          header: t('askedAt'),
          cell: (r) => <time dateTime={r.askedAt}>{formatDateTime(r.askedAt, language)}</time>,
        },
        ...(action ? [{ header: t('seller'), cell: (r: SupportRequest) => r.seller }] : []),
        {
          header: t('subject'),
          cell: (r) =>
            [t(`subjectName.${r.subject}`), r.marketplace, r.order, r.chargeMonth]
              .filter(Boolean)
              .join(' · '),
        },
        {
          header: action ? t('sellerQuestion') : t('question'),
          cell: (r) => <span className="pre-wrap">{r.question}</span>,
        },
        { header: t('status'), cell: (r) => t(`supportStatus.${r.status}`, { defaultValue: r.status }) },
        { header: t('answer'), cell: (r) => (action && r.status === 'open' ? action(r) : (r.answer ?? '—')) },
      ]}
    />
  );
}
