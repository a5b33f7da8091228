import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { Button } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { DataTable } from '../../shared/table';
import { Notice, useLoad } from '../marketplace/admin-parts';
import { eventKey, loadSubscriptions } from './webhooks-page';

const deliverySchema = z.object({
  id: z.string(),
  eventKey: z.string(),
  type: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});

/** The receiver's last answer in one line: its HTTP status, and the error when it says more. */
export function lastAnswer(status: number | null, error: string | null): string {
  const http = status === null ? '' : `HTTP ${status}`;
  if (!error || error === http) return http || '—';
  return http ? `${http} · ${error}` : error;
}

/** One subscription's deliveries: attempts, the receiver's last answer, and retry for a failed one. */
export function DeliveriesPage({ params }: { params: Record<string, string> }) {
  const { t } = useTranslation('admin-notifications');
  const id = params.id ?? '';
  const subscriptions = useLoad(loadSubscriptions, []);
  const deliveries = useLoad(
    () => api.get(`/api/v1/admin/webhooks/${encodeURIComponent(id)}/deliveries`, z.array(deliverySchema)),
    [id],
  );
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const subscription = subscriptions.data?.find((s) => s.id === id);

  const retry = async (deliveryId: string, event: string) => {
    setBusyId(deliveryId);
    setError(null);
    setNotice(null);
    try {
      await api.post(`/api/v1/admin/webhooks/${id}/deliveries/${deliveryId}/retry`);
      setNotice(t('retryQueued', { event }));
      await deliveries.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusyId(null);
    }
  };

  return (
    <Page title={t('deliveriesTitle')}>
      <p>
        <Link href="/admin/webhooks">{t('backToWebhooks')}</Link>
      </p>
      {subscription && <p>{t('deliveriesOf', { url: subscription.url })}</p>}
      <ErrorMessage error={deliveries.error ?? error} />
      <Notice text={notice} />
      {deliveries.data && (
        <DataTable
          caption={t('deliveriesCaption')}
          empty={t('noDeliveries')}
          rows={deliveries.data}
          rowKey={(d) => d.id}
          columns={[
            {
              header: t('event'),
              cell: (d) => `${t(eventKey(d.type), { defaultValue: d.type })} · ${d.eventKey}`,
            },
            {
              header: t('status'),
              cell: (d) => (
                <span className={d.status === 'failed' ? 'status-failed' : undefined}>
                  {t(`status_${d.status}`)}
                </span>
              ),
            },
            { header: t('attempts'), cell: (d) => d.attempts, numeric: true },
            {
              header: t('lastAnswer'),
              cell: (d) => lastAnswer(d.lastStatus, d.lastError),
            },
            {
              header: t('when'),
              cell: (d) =>
                d.deliveredAt
                  ? t('deliveredAt', { when: formatDateTime(d.deliveredAt) })
                  : d.nextAttemptAt
                    ? t('nextAttemptAt', { when: formatDateTime(d.nextAttemptAt) })
                    : '—',
            },
            {
              header: t('actions'),
              cell: (d) =>
                d.status === 'failed' ? (
                  <Button
                    variant="secondary"
                    busy={busyId === d.id}
                    aria-label={t('retryOf', { event: d.eventKey })}
                    onClick={() => void retry(d.id, d.eventKey)}
                  >
                    {t('retry')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
    </Page>
  );
}
