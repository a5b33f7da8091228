// One claim: its state, amounts, deadlines, history and evidence; replying to a request for information
// (with more evidence) and appealing a denial or a partial grant once, before the appeal-by date.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../shared/router';
import {
  type ApiError,
  api,
  ErrorNotice,
  formatDateTime,
  formatMoney,
  Loading,
  PortalPage,
  useResource,
} from '../programs/portal-kit';
import type { Claim } from './ClaimsPage';
import { EVIDENCE_TYPES, evidenceOf } from './evidence-files';

export function ClaimPage({ params }: { params: Record<string, string> }) {
  const claimId = params.id ?? '';
  const { t } = useTranslation('claims');
  const claim = useResource(
    () => api<Claim>('GET', `/api/v1/seller/claims/${encodeURIComponent(claimId)}`),
    [claimId],
  );
  const notFound = claim.error && (claim.error.status === 404 || claim.error.status === 400);
  return (
    <PortalPage title={claim.data ? t('open', { order: claim.data.orderExternalId }) : t('sellerTitle')}>
      <p>
        <Link href="/seller/claims">{t('back')}</Link>
      </p>
      {notFound && (
        <p role="alert" className="portal-error">
          {t('notFound')}
        </p>
      )}
      {claim.error && !notFound && <ErrorNotice error={claim.error} />}
      {!claim.data && !claim.error && <Loading />}
      {claim.data && <ClaimDetail claim={claim.data} onChange={claim.reload} />}
    </PortalPage>
  );
}

function ClaimDetail({ claim: c, onChange }: { claim: Claim; onChange: () => void }) {
  const { t, i18n } = useTranslation('claims');
  const lang = i18n.language;
  const denialReason = typeof c.decision?.denialReason === 'string' ? c.decision.denialReason : null;
  const mayAppeal =
    c.stage === 'first' &&
    (c.status === 'denied' || c.status === 'partially_granted') &&
    c.appealBy !== null &&
    Date.parse(c.appealBy) > Date.now();
  const actorText = (actor: string) =>
    actor === 'seller' || actor === 'system' ? t(`actor.${actor}`) : t('actor.reviewer');
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
          <dt>{t('description')}</dt>
          <dd className="portal-pre">{c.description}</dd>
        </div>
        <div>
          <dt>{t('requested', { amount: '' }).trim()}</dt>
          <dd>{formatMoney(c.requestedAmount, c.currency, lang)}</dd>
        </div>
        {c.grantedAmount > 0 && (
          <div>
            <dt>{t('granted', { amount: '' }).trim()}</dt>
            <dd>{formatMoney(c.grantedAmount, c.currency, lang)}</dd>
          </div>
        )}
        {denialReason && (
          <div>
            <dt>{t('status.denied')}</dt>
            <dd>{t(`denial.${denialReason}`, { defaultValue: denialReason })}</dd>
          </div>
        )}
      </dl>
      <p className="portal-hint">
        {t('filedAt', { when: formatDateTime(c.filedAt, lang) })}
        {c.replyBy && ` · ${t('replyBy', { when: formatDateTime(c.replyBy, lang) })}`}
        {c.appealBy && ` · ${t('appealBy', { when: formatDateTime(c.appealBy, lang) })}`}
      </p>
      <section aria-labelledby="claim-history">
        <h2 id="claim-history">{t('history')}</h2>
        <ol className="portal-messages">
          {c.events.map((e) => (
            <li key={`${e.kind}-${e.at}`}>
              <strong>{t(`event.${e.kind}`, { defaultValue: e.kind })}</strong> · {actorText(e.actor)} ·{' '}
              <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
              {e.note && <p className="portal-pre">{e.note}</p>}
            </li>
          ))}
        </ol>
      </section>
      {c.evidence.length > 0 && (
        <section aria-labelledby="claim-evidence-list">
          <h2 id="claim-evidence-list">{t('evidenceHeading')}</h2>
          <ul>
            {c.evidence.map((f) => (
              <li key={f.id}>
                <a href={`/api/v1/claims/${c.id}/evidence/${f.id}`} download={f.filename}>
                  {t('download', { file: f.filename })}
                </a>{' '}
                ({f.contentType}, {new Intl.NumberFormat(lang).format(Math.ceil(f.sizeBytes / 1024))} KB)
              </li>
            ))}
          </ul>
        </section>
      )}
      {c.status === 'awaiting_seller' && <Reply claimId={c.id} onDone={onChange} />}
      {mayAppeal && <Appeal claimId={c.id} onDone={onChange} />}
    </>
  );
}

function Reply({ claimId, onDone }: { claimId: string; onDone: () => void }) {
  const { t } = useTranslation('claims');
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<FileList | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', `/api/v1/seller/claims/${claimId}/reply`, {
        message,
        evidence: await evidenceOf(files),
      });
      setSent(true);
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <section aria-labelledby="claim-reply">
      <h2 id="claim-reply">{t('replyHeading')}</h2>
      <form onSubmit={submit} className="portal-form">
        <label htmlFor="reply-message">{t('replyMessage')}</label>
        <textarea
          id="reply-message"
          required
          maxLength={5000}
          rows={4}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
        />
        <label htmlFor="reply-evidence">{t('evidence')}</label>
        <input
          id="reply-evidence"
          type="file"
          multiple
          accept={EVIDENCE_TYPES.join(',')}
          onChange={(e) => setFiles(e.target.files)}
        />
        <button type="submit">{t('sendReply')}</button>
      </form>
      {sent && <p role="status">{t('replied')}</p>}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}

function Appeal({ claimId, onDone }: { claimId: string; onDone: () => void }) {
  const { t } = useTranslation('claims');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', `/api/v1/seller/claims/${claimId}/appeal`, { note });
      setSent(true);
      onDone();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <section aria-labelledby="claim-appeal">
      <h2 id="claim-appeal">{t('appealHeading')}</h2>
      <p className="portal-hint">{t('appealHint')}</p>
      <form onSubmit={submit} className="portal-form">
        <label htmlFor="appeal-note">{t('appealNote')}</label>
        <textarea
          id="appeal-note"
          required
          minLength={3}
          maxLength={5000}
          rows={4}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <button type="submit">{t('sendAppeal')}</button>
      </form>
      {sent && <p role="status">{t('appealed')}</p>}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
