import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatDateTime } from '../../shared/format';
import { Button, SelectField, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { DataTable } from '../../shared/table';
import { CheckboxGroup, Notice, SecretOnce, useLoad } from '../marketplace/admin-parts';
import { loadMarketplaces } from '../marketplace/marketplaces-page';

// The events of notifications/webhooks.ts (webhookEventTypes) a subscription can ask for.
export const eventTypes = [
  'return.authorised',
  'concession.decided',
  'ledger.posted',
  'claim.updated',
  'order.cancelled',
  'order.address_changed',
] as const;
// i18next reads '.' and ':' as separators, so an event's text key has '_' instead.
export const eventKey = (type: string) => `event_${type.replace(/[^a-z]/g, '_')}`;

const subscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  marketplace: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
export const loadSubscriptions = () => api.get('/api/v1/admin/webhooks', z.array(subscriptionSchema));

/** Endpoints of the commerce platform that receive signed events; the signing secret is shown once. */
export function WebhooksPage() {
  const { t } = useTranslation('admin-notifications');
  const subscriptions = useLoad(loadSubscriptions, []);
  const marketplaces = useLoad(loadMarketplaces, []);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [marketplace, setMarketplace] = useState('');
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const answer = await api.post(
        '/api/v1/admin/webhooks',
        { url, eventTypes: types, marketplace: marketplace || null },
        z.object({ id: z.string(), secret: z.string() }),
      );
      setSecret({ url, secret: answer.secret });
      setUrl('');
      setTypes([]);
      await subscriptions.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const stop = async (id: string, target: string) => {
    setError(null);
    try {
      await api.delete(`/api/v1/admin/webhooks/${id}`);
      setNotice(t('stopped', { url: target }));
      await subscriptions.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Page title={t('webhooksTitle')}>
      <p>{t('webhooksIntro')}</p>
      {secret && (
        <SecretOnce
          title={t('secretFor', { url: secret.url })}
          secret={secret.secret}
          onDone={() => setSecret(null)}
        />
      )}
      <ErrorMessage error={subscriptions.error ?? error} />
      <Notice text={notice} />
      {subscriptions.data && (
        <DataTable
          caption={t('subscriptionsCaption')}
          rows={subscriptions.data}
          rowKey={(s) => s.id}
          columns={[
            {
              header: t('endpoint'),
              cell: (s) => <Link href={`/admin/webhooks/${s.id}`}>{s.url}</Link>,
            },
            {
              header: t('events'),
              cell: (s) => s.eventTypes.map((e) => t(eventKey(e), { defaultValue: e })).join(', '),
            },
            { header: t('marketplace'), cell: (s) => s.marketplace ?? t('allMarketplaces') },
            { header: t('created'), cell: (s) => formatDateTime(s.createdAt) },
            { header: t('state'), cell: (s) => (s.active ? t('active') : t('stoppedState')) },
            {
              header: t('actions'),
              cell: (s) =>
                s.active ? (
                  <Button
                    variant="danger"
                    aria-label={t('stopOf', { url: s.url })}
                    onClick={() => void stop(s.id, s.url)}
                  >
                    {t('stop')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      <section className="admin-section" aria-labelledby="new-webhook">
        <h2 id="new-webhook">{t('newWebhook')}</h2>
        <form className="admin-form" onSubmit={(e) => void create(e)}>
          <div className="wide">
            <TextField
              label={t('endpointUrl')}
              hint={t('endpointHint')}
              type="url"
              required
              maxLength={2000}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          </div>
          <div className="wide">
            <CheckboxGroup
              legend={t('events')}
              options={eventTypes.map((e) => ({ value: e, label: t(eventKey(e)) }))}
              value={types}
              onChange={setTypes}
            />
          </div>
          <SelectField
            label={t('marketplace')}
            value={marketplace}
            options={[
              { value: '', label: t('allMarketplaces') },
              ...(marketplaces.data ?? []).map((m) => ({ value: m.id, label: `${m.name} (${m.id})` })),
            ]}
            onChange={(e) => setMarketplace(e.target.value)}
          />
          <div className="admin-actions wide">
            <Button type="submit" busy={busy} disabled={types.length === 0}>
              {t('subscribe')}
            </Button>
          </div>
        </form>
      </section>
    </Page>
  );
}
