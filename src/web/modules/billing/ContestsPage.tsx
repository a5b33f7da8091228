// Staff's side of F4 and S5: the contests waiting for a decision (accept takes the contact out of the
// count and credits any band difference; reject leaves it), and the seller-support requests to answer.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatDateTime, formatMoney } from '../../shared/format';
import { Button, TextArea, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { DataTable } from '../../shared/table';
import { useApi } from '../../shared/use-api';
import { loadMarketplaces } from '../marketplace/marketplaces-page';
import { type SupportRequest, SupportTable } from './SupportPage';
import './billing.css';

type Contest = {
  id: string;
  seller: string;
  marketplace: string;
  order: string | null;
  contactReceivedAt: string;
  channel: string;
  reason: string;
  comment: string;
  status: string;
  filedAt: string;
};
type Decision = { contest: Contest; credits: { month: string; credit: number }[] };

export function ContestsPage() {
  const { t, i18n } = useTranslation('billing');
  const lang = i18n.language;
  const contests = useApi(() => request<Contest[]>('GET', '/api/v1/fees/contests?status=open'), []);
  const support = useApi(() => request<SupportRequest[]>('GET', '/api/v1/seller-support?status=open'), []);
  const marketplaces = useApi(loadMarketplaces, []);
  const currencyOf = (id: string) => marketplaces.data?.find((m) => m.id === id)?.currency ?? 'EUR';
  const [done, setDone] = useState<string | null>(null);
  return (
    <Page title={t('contestsTitle')}>
      <p>{t('contestsIntro')}</p>
      <p role="status" data-testid="decision-notice">
        {done ?? ''}
      </p>
      <h2>{t('contestsOpen')}</h2>
      {contests.error ? <ErrorMessage error={contests.error} /> : null}
      {contests.data && (
        <DataTable
          caption={t('contestsOpen')}
          captionHidden
          rows={contests.data}
          rowKey={(c) => c.id}
          empty={t('contestsNone')}
          columns={[
            { header: t('seller'), cell: (c) => `${c.seller} · ${c.marketplace}` },
            { header: t('order'), cell: (c) => c.order ?? '—' },
            {
              header: t('date'),
              cell: (c) => (
                <time dateTime={c.contactReceivedAt}>{formatDateTime(c.contactReceivedAt, lang)}</time>
              ),
            },
            { header: t('channel'), cell: (c) => t(`channelName.${c.channel}`, { defaultValue: c.channel }) },
            {
              header: t('contestReason'),
              cell: (c) => (
                <>
                  {t(`contestReasonName.${c.reason}`, { defaultValue: c.reason })}
                  {c.comment ? <span className="pre-wrap"> — {c.comment}</span> : null}
                </>
              ),
            },
            {
              header: t('decision'),
              cell: (c) => (
                <DecideContest
                  contest={c}
                  onDecided={(d) => {
                    const credit = d.credits.reduce((s, x) => s + x.credit, 0);
                    setDone(
                      d.contest.status === 'accepted'
                        ? t('accepted', {
                            order: c.order ?? c.id,
                            credit: formatMoney(credit, currencyOf(c.marketplace), lang),
                          })
                        : t('rejected', { order: c.order ?? c.id }),
                    );
                    contests.reload();
                  }}
                />
              ),
            },
          ]}
        />
      )}
      <h2>{t('supportOpen')}</h2>
      {support.error ? <ErrorMessage error={support.error} /> : null}
      {support.data && (
        <SupportTable
          rows={support.data}
          language={lang}
          action={(r) => <AnswerSupport request={r} onAnswered={() => support.reload()} />}
        />
      )}
    </Page>
  );
}

function DecideContest({ contest, onDecided }: { contest: Contest; onDecided: (d: Decision) => void }) {
  const { t } = useTranslation('billing');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per decision taken on this page: a second press sends the same key, decided once.
  const key = useRef(crypto.randomUUID());
  const decide = async (accept: boolean) => {
    setBusy(true);
    setError(null);
    try {
      onDecided(
        await request<Decision>('POST', `/api/v1/fees/contests/${contest.id}/decision`, {
          body: { accept, note },
          headers: { 'idempotency-key': `${key.current}:${accept}` },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const who = contest.order ?? contest.id;
  return (
    <div>
      <TextField
        label={t('decisionNote', { order: who })}
        value={note}
        maxLength={2000}
        onChange={(e) => setNote(e.target.value)}
      />
      {error ? <ErrorMessage error={error} /> : null}
      <Button busy={busy} onClick={() => void decide(true)} aria-label={t('acceptContest', { order: who })}>
        {t('accept')}
      </Button>{' '}
      <Button
        variant="danger"
        busy={busy}
        onClick={() => void decide(false)}
        aria-label={t('rejectContest', { order: who })}
      >
        {t('reject')}
      </Button>
    </div>
  );
}

function AnswerSupport({ request: r, onAnswered }: { request: SupportRequest; onAnswered: () => void }) {
  const { t } = useTranslation('billing');
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await request('POST', `/api/v1/seller-support/${r.id}/answer`, { body: { answer } });
          onAnswered();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <TextArea
        label={t('answerFor', { seller: r.seller })}
        value={answer}
        required
        maxLength={4000}
        onChange={(e) => setAnswer(e.target.value)}
      />
      {error ? <ErrorMessage error={error} /> : null}
      <Button type="submit" busy={busy}>
        {t('sendAnswer')}
      </Button>
    </form>
  );
}
