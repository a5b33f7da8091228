import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCodeWords } from '../../shared/codes/codes';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { api, go, type QueueCase } from './api';
import { Feedback } from './Feedback';
import { useNow, usePolled, useShortcuts } from './hooks';
import { ShortcutHelp } from './ShortcutHelp';
import { TableScroll } from './TableScroll';
import { dueOf, timeLeft } from './time';

export function DueCell({ dueAt, now }: { dueAt: string | null; now: number }) {
  const { t } = useTranslation('cases');
  const left = timeLeft(dueAt, now);
  if (!left) return <span>{t('noDue')}</span>;
  return left.breached ? (
    <strong className="breached">{t('breached', { time: left.text })}</strong>
  ) : (
    <span>{t('left', { time: left.text })}</span>
  );
}

/** My queue (/agent): the agent's open chats, e-mails and calls by SLA due time, and "take next". */
export function QueuePage() {
  const { t } = useTranslation('cases');
  const code = useCodeWords();
  const now = useNow();
  const queue = usePolled(() => api<QueueCase[]>('GET', '/api/v1/agent/cases'), 5000);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const sorted = useMemo(
    () =>
      [...(queue.data ?? [])].sort(
        (a, b) => Date.parse(dueOf(a) ?? '9999-12-31') - Date.parse(dueOf(b) ?? '9999-12-31'),
      ),
    [queue.data],
  );

  const takeNext = async () => {
    setError(null);
    try {
      const taken = await api<{ case: { caseNumber: string } | null }>('POST', '/api/v1/agent/next-case');
      if (!taken.case) return setMessage(t('tookNone'));
      setMessage(t('took', { caseNumber: taken.case.caseNumber }));
      go(`/agent/cases/${encodeURIComponent(taken.case.caseNumber)}`);
    } catch (e) {
      setError(e);
    }
  };
  useShortcuts({ n: () => void takeNext() });

  return (
    <Page title={t('agentTitle')}>
      <h2>{t('queueTitle')}</h2>
      <p>{t('queueIntro')}</p>
      <p>
        <button type="button" className="button secondary" onClick={() => void takeNext()}>
          {t('takeNext')}
        </button>{' '}
        <Link href="/agent/search">{t('searchTitle')}</Link>
      </p>
      <p className="hint">{t('shortcuts')}</p>
      <ShortcutHelp />
      <Feedback message={message} error={error ?? queue.error} />
      {queue.data === null ? (
        <p>{t('loading')}</p>
      ) : sorted.length === 0 ? (
        <p>{t('emptyQueue')}</p>
      ) : (
        <TableScroll label={t('queueTitle')}>
          <table>
            <caption className="visually-hidden">{t('queueTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('colCase')}</th>
                <th scope="col">{t('colChannel')}</th>
                <th scope="col">{t('colTopic')}</th>
                <th scope="col">{t('colQueue')}</th>
                <th scope="col">{t('colDue')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((c) => (
                <tr
                  key={c.caseNumber}
                  className={timeLeft(dueOf(c), now)?.breached ? 'row-breached' : undefined}
                >
                  <td>
                    <Link href={`/agent/cases/${encodeURIComponent(c.caseNumber)}`}>{c.caseNumber}</Link>
                  </td>
                  <td>{t(`channel_${c.channel}`)}</td>
                  <td>{code('topic', c.topic)}</td>
                  <td>{c.queue}</td>
                  <td>
                    <DueCell dueAt={dueOf(c)} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Page>
  );
}
