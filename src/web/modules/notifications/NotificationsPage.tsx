// Notifications (S2, N1): the in-app list newest first, marking read, and per-category preferences for
// e-mail and in-app delivery.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type ApiError,
  api,
  ErrorNotice,
  formatDateTime,
  Loading,
  PortalPage,
  TableWrap,
  useResource,
} from '../programs/portal-kit';

type Notification = {
  id: string;
  category: string;
  subject: string;
  body: string;
  createdAt: string;
  readAt: string | null;
};
type Preference = { category: string; email: boolean; inApp: boolean };

export function NotificationsPage() {
  const { t, i18n } = useTranslation('notifications');
  const lang = i18n.language;
  const list = useResource(() => api<Notification[]>('GET', '/api/v1/seller/notifications'));
  const prefs = useResource(() => api<Preference[]>('GET', '/api/v1/seller/notification-preferences'));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  async function markRead(id: string) {
    setError(null);
    try {
      await api('POST', `/api/v1/seller/notifications/${id}/read`);
      list.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  }

  async function setPreference(p: Preference, change: Partial<Preference>) {
    setError(null);
    setSaved(false);
    try {
      const next = { ...p, ...change };
      await api('PUT', `/api/v1/seller/notification-preferences/${p.category}`, {
        email: next.email,
        inApp: next.inApp,
      });
      setSaved(true);
      prefs.reload();
    } catch (e) {
      setError(e as ApiError);
    }
  }

  return (
    <PortalPage title={t('title')}>
      {error && <ErrorNotice error={error} />}
      <section aria-labelledby="notifications-list">
        <h2 id="notifications-list">{t('listHeading')}</h2>
        {list.error && <ErrorNotice error={list.error} />}
        {!list.data && !list.error && <Loading />}
        {list.data?.length === 0 && <p>{t('none')}</p>}
        <ul className="portal-cards">
          {list.data?.map((n) => (
            <li key={n.id}>
              <article
                className={`portal-card${n.readAt ? '' : ' portal-unread'}`}
                aria-labelledby={`n-${n.id}`}
              >
                <h3 id={`n-${n.id}`}>
                  {!n.readAt && <span className="portal-badge">{t('unread')}</span>} {n.subject}
                </h3>
                <p className="portal-hint">
                  {t(`category.${n.category}`, { defaultValue: n.category })} ·{' '}
                  <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, lang)}</time>
                </p>
                <p className="portal-pre">{n.body}</p>
                {!n.readAt && (
                  <button type="button" onClick={() => markRead(n.id)}>
                    {t('markRead')}
                  </button>
                )}
              </article>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="notification-preferences">
        <h2 id="notification-preferences">{t('preferencesHeading')}</h2>
        <p className="portal-hint">{t('preferencesHint')}</p>
        {prefs.error && <ErrorNotice error={prefs.error} />}
        {saved && <p role="status">{t('saved')}</p>}
        {prefs.data && (
          <TableWrap label={t('preferencesHeading')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('email')}</th>
                  <th scope="col">{t('inApp')}</th>
                </tr>
              </thead>
              <tbody>
                {prefs.data.map((p) => {
                  const category = t(`category.${p.category}`, { defaultValue: p.category });
                  return (
                    <tr key={p.category}>
                      <th scope="row">{category}</th>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t('emailFor', { category })}
                          checked={p.email}
                          onChange={(e) => setPreference(p, { email: e.target.checked })}
                        />
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t('inAppFor', { category })}
                          checked={p.inApp}
                          onChange={(e) => setPreference(p, { inApp: e.target.checked })}
                        />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </PortalPage>
  );
}
