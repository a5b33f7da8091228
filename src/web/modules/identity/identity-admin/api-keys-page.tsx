import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../../shared/api';
import { ErrorMessage } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Button, TextField } from '../../../shared/forms';
import { Page } from '../../../shared/layout';
import { DataTable } from '../../../shared/table';
import { CheckboxGroup, Notice, SecretOnce, useLoad } from '../../marketplace/admin-parts';

// Keys read `obk_<prefix>_<secret>` (identity/credentials.ts); the list shows the part before the secret.
// The scopes of platform/http/access.ts (apiKeyScopes): what a commerce platform's key may do.
const scopes = ['integration:write', 'integration:read', 'telephony'] as const;

// i18next reads ':' as a namespace separator, so a scope's text key has '_' instead.
const scopeKey = (scope: string) => `scope_${scope.replace(/[^a-z]/g, '_')}`;

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

/** Integration keys: listed without their secret; a new key is shown once, then only its prefix. */
export function ApiKeysPage() {
  const { t } = useTranslation('identity-admin');
  const keys = useLoad(() => api.get('/api/v1/admin/api-keys', z.array(keySchema)), []);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>(['integration:write', 'integration:read']);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
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
        '/api/v1/admin/api-keys',
        { name, scopes: chosen },
        z.object({ id: z.string(), key: z.string() }),
      );
      setCreated({ name, key: answer.key });
      setName('');
      await keys.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string, keyName: string) => {
    setError(null);
    try {
      await api.delete(`/api/v1/admin/api-keys/${id}`);
      setNotice(t('keyRevoked', { name: keyName }));
      await keys.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Page title={t('apiKeysTitle')}>
      <p>{t('apiKeysIntro')}</p>
      {created && (
        <SecretOnce
          title={t('keyCreated', { name: created.name })}
          secret={created.key}
          onDone={() => setCreated(null)}
        />
      )}
      <ErrorMessage error={keys.error ?? error} />
      <Notice text={notice} />
      {keys.data && (
        <DataTable
          caption={t('apiKeysCaption')}
          rows={keys.data}
          rowKey={(k) => k.id}
          columns={[
            { header: t('name'), cell: (k) => k.name },
            { header: t('prefix'), cell: (k) => <code>obk_{k.prefix}_…</code> },
            {
              header: t('scopes'),
              cell: (k) => k.scopes.map((s) => t(scopeKey(s), { defaultValue: s })).join(', '),
            },
            { header: t('created'), cell: (k) => formatDateTime(k.createdAt) },
            {
              header: t('state'),
              cell: (k) =>
                k.revokedAt ? t('revokedAt', { when: formatDateTime(k.revokedAt) }) : t('active'),
            },
            {
              header: t('actions'),
              cell: (k) =>
                k.revokedAt ? null : (
                  <Button
                    variant="danger"
                    aria-label={t('revokeOf', { name: k.name })}
                    onClick={() => void revoke(k.id, k.name)}
                  >
                    {t('revoke')}
                  </Button>
                ),
            },
          ]}
        />
      )}
      <section className="admin-section" aria-labelledby="new-key">
        <h2 id="new-key">{t('newKey')}</h2>
        <form className="admin-form" onSubmit={(e) => void create(e)}>
          <TextField
            label={t('keyName')}
            hint={t('keyNameHint')}
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <div className="wide">
            <CheckboxGroup
              legend={t('scopes')}
              options={scopes.map((s) => ({ value: s, label: t(scopeKey(s)) }))}
              value={chosen}
              onChange={setChosen}
            />
          </div>
          <div className="admin-actions wide">
            <Button type="submit" busy={busy} disabled={chosen.length === 0}>
              {t('createKey')}
            </Button>
          </div>
        </form>
      </section>
    </Page>
  );
}
