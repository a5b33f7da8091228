import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseStatuses } from '../../../contracts/cases';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { api, type SearchHit } from './api';
import { Feedback } from './Feedback';
import { useNow } from './hooks';
import { DueCell } from './QueuePage';
import { TableScroll } from './TableScroll';
import { formatTime } from './time';

const STATUSES = caseStatuses;
const FIELDS = ['caseNumber', 'order', 'buyerEmail', 'queue', 'text'] as const;
const LABELS = {
  caseNumber: 'searchCaseNumber',
  order: 'searchOrder',
  buyerEmail: 'searchBuyerEmail',
  queue: 'searchQueue',
  text: 'searchText',
} as const;

/** Case search (/agent/search): number, order, buyer e-mail, status, queue and words, a page at a time. */
export function SearchPage() {
  const { t, i18n } = useTranslation('cases');
  const now = useNow();
  const [form, setForm] = useState<Record<string, string>>({});
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const query = (after: string | null) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (v.trim()) q.set(k, v.trim());
    if (after) q.set('cursor', after);
    return q.toString();
  };
  const run = async (after: string | null) => {
    setError(null);
    try {
      const r = await api<{ cases: SearchHit[]; nextCursor: string | null }>(
        'GET',
        `/api/v1/cases?${query(after)}`,
      );
      setHits(after ? [...(hits ?? []), ...r.cases] : r.cases);
      setCursor(r.nextCursor);
    } catch (e) {
      setError(e);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(null);
  };

  return (
    <Page title={t('searchTitle')}>
      <form aria-label={t('searchTitle')} onSubmit={submit} className="search-form">
        {FIELDS.map((f) => (
          <div className="field" key={f}>
            <label htmlFor={`search-${f}`}>{t(LABELS[f])}</label>
            <input
              id={`search-${f}`}
              type={f === 'buyerEmail' ? 'email' : f === 'text' ? 'search' : 'text'}
              value={form[f] ?? ''}
              onChange={(e) => setForm({ ...form, [f]: e.target.value })}
            />
          </div>
        ))}
        <div className="field">
          <label htmlFor="search-status">{t('searchStatus')}</label>
          <select
            id="search-status"
            value={form.status ?? ''}
            onChange={(e) => setForm({ ...form, status: e.target.value })}
          >
            <option value="">{t('searchAny')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status_${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button primary">
          {t('searchSubmit')}
        </button>
      </form>
      <Feedback error={error} />
      {hits === null ? null : hits.length === 0 ? (
        <p role="status">{t('searchNone')}</p>
      ) : (
        <>
          <TableScroll label={t('searchTitle')}>
            <table>
              <caption className="visually-hidden">{t('searchTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colCase')}</th>
                  <th scope="col">{t('colStatus')}</th>
                  <th scope="col">{t('colChannel')}</th>
                  <th scope="col">{t('colBuyer')}</th>
                  <th scope="col">{t('colOrder')}</th>
                  <th scope="col">{t('colOwner')}</th>
                  <th scope="col">{t('colDue')}</th>
                  <th scope="col">{t('colOpened')}</th>
                </tr>
              </thead>
              <tbody>
                {hits.map((h) => (
                  <tr key={h.caseNumber}>
                    <td>
                      <Link href={`/agent/cases/${encodeURIComponent(h.caseNumber)}`}>{h.caseNumber}</Link>
                    </td>
                    <td>{t(`status_${h.status}`)}</td>
                    <td>{t(`channel_${h.channel}`)}</td>
                    <td>{h.buyerName ?? '—'}</td>
                    <td>{h.orderNumber ?? '—'}</td>
                    <td>{h.owner?.name ?? '—'}</td>
                    <td>
                      {h.status === 'resolved' || h.status === 'closed' ? (
                        '—'
                      ) : (
                        <DueCell dueAt={h.dueAt} now={now} />
                      )}
                    </td>
                    <td>{formatTime(h.openedAt, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {cursor ? (
            <button type="button" className="button secondary" onClick={() => void run(cursor)}>
              {t('searchMore')}
            </button>
          ) : null}
        </>
      )}
    </Page>
  );
}
