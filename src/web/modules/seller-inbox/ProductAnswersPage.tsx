// Product answers (K3, S6): the seller's answers to product questions, which the chat assistant gives
// the next buyer who asks the same; changed or withdrawn here.
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ApiError,
  api,
  ErrorNotice,
  formatDateTime,
  Loading,
  PortalPage,
  useResource,
} from '../programs/portal-kit';

type ProductAnswer = {
  id: string;
  productExternalId: string;
  marketplace: string;
  language: string;
  question: string;
  answer: string;
  status: 'active' | 'withdrawn';
  updatedAt: string;
  withdrawnAt: string | null;
};

export function ProductAnswersPage() {
  const { t } = useTranslation('seller-inbox');
  const answers = useResource(() => api<ProductAnswer[]>('GET', '/api/v1/seller/product-answers'));
  return (
    <PortalPage title={t('answersTitle')}>
      <p className="portal-hint">{t('answersHint')}</p>
      {answers.error && <ErrorNotice error={answers.error} />}
      {!answers.data && !answers.error && <Loading />}
      {answers.data?.length === 0 && <p>{t('noAnswers')}</p>}
      <ul className="portal-cards">
        {answers.data?.map((a) => (
          <li key={a.id}>
            <Answer answer={a} onChange={answers.reload} />
          </li>
        ))}
      </ul>
    </PortalPage>
  );
}

function Answer({ answer: a, onChange }: { answer: ProductAnswer; onChange: () => void }) {
  const { t, i18n } = useTranslation('seller-inbox');
  const lang = i18n.language;
  const id = useId();
  const [text, setText] = useState(a.answer);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api('PUT', `/api/v1/seller/product-answers/${a.id}`, { answer: text });
      setNotice(t('answerSaved'));
      onChange();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  async function withdraw() {
    if (!window.confirm(t('confirmWithdrawAnswer'))) return;
    setError(null);
    try {
      await api('DELETE', `/api/v1/seller/product-answers/${a.id}`);
      setNotice(t('answerWithdrawn'));
      onChange();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <article className="portal-card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>
        {t('answerFor', { product: a.productExternalId, marketplace: a.marketplace, language: a.language })}
      </h2>
      <p className={`portal-status portal-status-${a.status}`}>
        {t(`answerStatus.${a.status}`)} ·{' '}
        {a.withdrawnAt
          ? t('withdrawnAt', { when: formatDateTime(a.withdrawnAt, lang) })
          : t('updatedAt', { when: formatDateTime(a.updatedAt, lang) })}
      </p>
      <blockquote className="portal-question">{a.question}</blockquote>
      {a.status === 'active' ? (
        <form onSubmit={save}>
          <label htmlFor={id}>{t('answerField')}</label>
          <textarea
            id={id}
            required
            maxLength={4000}
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="portal-inline-form">
            <button type="submit" disabled={text.trim() === '' || text === a.answer}>
              {t('saveAnswer')}
            </button>
            <button type="button" className="secondary" onClick={withdraw}>
              {t('withdrawAnswer')}
            </button>
          </div>
        </form>
      ) : (
        <blockquote className="portal-answer">{a.answer}</blockquote>
      )}
      {notice && <p role="status">{notice}</p>}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}
