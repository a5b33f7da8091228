// The case log (S1, K3): customer service's questions with their due times, answered here; and the
// buyer–seller messages that are the seller's to answer (R2, R3). Never a message between customer
// service and a buyer (K5): the API the page reads has none to give.
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ApiError,
  api,
  ErrorNotice,
  formatDateTime,
  formatRelative,
  Loading,
  PortalPage,
  useResource,
} from '../programs/portal-kit';

export type CaseLogQuestion = {
  id: string;
  /** Null for a product question the chat assistant asked; then `productExternalId` names the product. */
  caseNumber: string | null;
  productExternalId?: string | null;
  question: string;
  askedAt: string;
  dueAt: string;
  status: 'open' | 'answered' | 'overdue';
  answer: string | null;
  answeredAt: string | null;
  order: { externalId: string } | null;
};
export type BuyerThread = {
  id: string;
  marketplace: string;
  orderExternalId: string | null;
  topic: string;
  routingReason: string;
  responseDueAt: string;
  responseTime: { answered: boolean; hours: number; withinTarget: boolean };
  messages: { author: string; body: string; sentAt: string }[];
};

export function CaseLogPage() {
  const { t } = useTranslation('seller-inbox');
  const questions = useResource(() => api<CaseLogQuestion[]>('GET', '/api/v1/seller/case-log'));
  const threads = useResource(() => api<BuyerThread[]>('GET', '/api/v1/seller/messages'));
  return (
    <PortalPage title={t('title')}>
      <section aria-labelledby="questions-heading">
        <h2 id="questions-heading">{t('questionsHeading')}</h2>
        <p className="portal-hint">{t('questionsHint')}</p>
        {questions.error && <ErrorNotice error={questions.error} />}
        {!questions.data && !questions.error && <Loading />}
        {questions.data?.length === 0 && <p>{t('noQuestions')}</p>}
        <ul className="portal-cards">
          {questions.data?.map((q) => (
            <li key={q.id}>
              <Question question={q} onAnswered={questions.reload} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="messages-heading">
        <h2 id="messages-heading">{t('messagesHeading')}</h2>
        <p className="portal-hint">{t('messagesHint')}</p>
        {threads.error && <ErrorNotice error={threads.error} />}
        {!threads.data && !threads.error && <Loading />}
        {threads.data?.length === 0 && <p>{t('noMessages')}</p>}
        <ul className="portal-cards">
          {threads.data?.map((th) => (
            <li key={th.id}>
              <Thread thread={th} onReplied={threads.reload} />
            </li>
          ))}
        </ul>
      </section>
    </PortalPage>
  );
}

export function Question({ question: q, onAnswered }: { question: CaseLogQuestion; onAnswered: () => void }) {
  const { t, i18n } = useTranslation('seller-inbox');
  const lang = i18n.language;
  const fieldId = useId();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', `/api/v1/seller/case-log/${q.id}/answer`, { answer });
      setSent(true);
      onAnswered();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <article aria-labelledby={`${fieldId}-h`} className={`portal-card portal-question-${q.status}`}>
      <h3 id={`${fieldId}-h`}>
        {q.caseNumber
          ? t('caseNumber', { number: q.caseNumber })
          : t('productQuestion', { product: q.productExternalId ?? '' })}
        {q.order && ` · ${t('order', { order: q.order.externalId })}`}
      </h3>
      <p className={`portal-status portal-status-${q.status}`}>{t(`status.${q.status}`)}</p>
      <blockquote className="portal-question">{q.question}</blockquote>
      <p className="portal-hint">
        {t('asked', { when: formatDateTime(q.askedAt, lang) })} ·{' '}
        <time dateTime={q.dueAt}>
          {q.status === 'open'
            ? t('due', { when: formatDateTime(q.dueAt, lang), relative: formatRelative(q.dueAt, lang) })
            : t('dueWas', { when: formatDateTime(q.dueAt, lang) })}
        </time>
      </p>
      {q.answer !== null ? (
        <>
          <blockquote className="portal-answer">{q.answer}</blockquote>
          <p className="portal-hint">{t('answeredAt', { when: formatDateTime(q.answeredAt, lang) })}</p>
        </>
      ) : (
        <form onSubmit={submit}>
          <label htmlFor={fieldId}>{t('yourAnswer')}</label>
          <textarea
            id={fieldId}
            required
            maxLength={20000}
            rows={3}
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
          />
          <button type="submit" disabled={answer.trim() === ''}>
            {t('send')}
          </button>
        </form>
      )}
      {sent && <p role="status">{t(q.caseNumber ? 'sent' : 'sentProduct')}</p>}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}

function Thread({ thread: th, onReplied }: { thread: BuyerThread; onReplied: () => void }) {
  const { t, i18n } = useTranslation('seller-inbox');
  const lang = i18n.language;
  const fieldId = useId();
  const [reply, setReply] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api('POST', `/api/v1/seller/messages/${th.id}/replies`, { message: reply });
      setReply('');
      setSent(true);
      onReplied();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <article aria-labelledby={`${fieldId}-h`} className="portal-card">
      <h3 id={`${fieldId}-h`}>
        {t(`topic.${th.topic}`, { defaultValue: th.topic })} · {th.marketplace} ·{' '}
        {th.orderExternalId ? t('order', { order: th.orderExternalId }) : t('noOrder')}
      </h3>
      <p className="portal-hint">
        {t(`why.${th.routingReason}`, { defaultValue: th.routingReason })} ·{' '}
        {th.responseTime.answered
          ? t('responded', { hours: th.responseTime.hours })
          : t('replyBy', { when: formatDateTime(th.responseDueAt, lang) })}
      </p>
      <ol className="portal-messages">
        {th.messages.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: messages are in their fixed order and never move
          <li key={i} className={`portal-message-${m.author}`}>
            <strong>{t(`author.${m.author}`, { defaultValue: m.author })}</strong>{' '}
            <time dateTime={m.sentAt}>{formatDateTime(m.sentAt, lang)}</time>
            <p>{m.body}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <label htmlFor={fieldId}>{t('yourReply')}</label>
        <textarea
          id={fieldId}
          required
          maxLength={20000}
          rows={3}
          value={reply}
          onChange={(e) => setReply(e.target.value)}
        />
        <button type="submit" disabled={reply.trim() === ''}>
          {t('sendReply')}
        </button>
      </form>
      {sent && <p role="status">{t('replied')}</p>}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}
