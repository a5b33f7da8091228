import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../../shared/api';
import { ErrorMessage } from '../../../shared/errors';
import { Button, SelectField, TextField } from '../../../shared/forms';
import { Page } from '../../../shared/layout';
import { DataTable } from '../../../shared/table';
import { CheckboxGroup, LANGUAGE_OPTIONS, Notice, useLoad } from '../../marketplace/admin-parts';

const roles = ['admin', 'supervisor', 'agent', 'claims_reviewer', 'seller', 'buyer'] as const;
type Role = (typeof roles)[number];

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  sellerId: z.string().nullable(),
  buyerId: z.string().nullable(),
  languages: z.array(z.string()),
  disabledAt: z.string().nullable(),
});

const emptyForm = {
  displayName: '',
  email: '',
  password: '',
  role: 'agent' as Role,
  languages: [] as string[],
  linkId: '',
};

/** Every account, and a new one: staff, a seller's user (bound to the seller) or a buyer. */
export function UsersPage() {
  const { t } = useTranslation('identity-admin');
  const users = useLoad(() => api.get('/api/v1/admin/users', z.array(userSchema)), []);
  const [form, setForm] = useState(emptyForm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const needsLink = form.role === 'seller' || form.role === 'buyer';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.post('/api/v1/admin/users', {
        displayName: form.displayName,
        email: form.email,
        password: form.password,
        role: form.role,
        languages: form.languages,
        sellerId: form.role === 'seller' ? form.linkId.trim() : null,
        buyerId: form.role === 'buyer' ? form.linkId.trim() : null,
      });
      setNotice(t('userCreated', { email: form.email }));
      setForm(emptyForm);
      await users.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('usersTitle')}>
      <ErrorMessage error={users.error} />
      {users.data && (
        <DataTable
          caption={t('usersCaption')}
          rows={users.data}
          rowKey={(u) => u.id}
          columns={[
            { header: t('name'), cell: (u) => u.displayName },
            { header: t('email'), cell: (u) => u.email },
            { header: t('role'), cell: (u) => t(`role_${u.role}`) },
            { header: t('languages'), cell: (u) => u.languages.join(', ') || '—' },
            { header: t('state'), cell: (u) => (u.disabledAt ? t('disabled') : t('active')) },
          ]}
        />
      )}
      <section className="admin-section" aria-labelledby="new-user">
        <h2 id="new-user">{t('newUser')}</h2>
        <form className="admin-form" onSubmit={(e) => void submit(e)}>
          <TextField
            label={t('name')}
            required
            maxLength={200}
            value={form.displayName}
            onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          />
          <TextField
            label={t('email')}
            type="email"
            required
            autoComplete="off"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
          <TextField
            label={t('password')}
            hint={t('passwordHint')}
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
          <SelectField
            label={t('role')}
            value={form.role}
            options={roles.map((r) => ({ value: r, label: t(`role_${r}`) }))}
            onChange={(e) => setForm({ ...form, role: e.target.value as Role, linkId: '' })}
          />
          {needsLink && (
            <TextField
              label={form.role === 'seller' ? t('sellerId') : t('buyerId')}
              hint={t('linkHint')}
              required
              value={form.linkId}
              onChange={(e) => setForm({ ...form, linkId: e.target.value })}
            />
          )}
          <div className="wide">
            <CheckboxGroup
              legend={t('languages')}
              options={LANGUAGE_OPTIONS.map((l) => ({ value: l, label: t(`language_${l}`) }))}
              value={form.languages}
              onChange={(languages) => setForm({ ...form, languages })}
            />
          </div>
          <div className="admin-actions wide">
            <Button type="submit" busy={busy}>
              {t('createUser')}
            </Button>
          </div>
        </form>
        <ErrorMessage error={error} />
        <Notice text={notice} />
      </section>
    </Page>
  );
}
