import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../../shared/api';
import { ErrorMessage } from '../../../shared/errors';
import { Button, TextField } from '../../../shared/forms';
import { Page } from '../../../shared/layout';
import { DataTable } from '../../../shared/table';
import { CheckboxGroup, LANGUAGE_OPTIONS, Notice, useLoad } from '../../marketplace/admin-parts';
import { loadMarketplaces } from '../../marketplace/marketplaces-page';

const agentSchema = z.object({
  userId: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.string(),
  profile: z
    .object({
      marketplaces: z.array(z.string()),
      languages: z.array(z.string()),
      capacity: z.number(),
      premium: z.boolean(),
      available: z.boolean(),
      openCases: z.number(),
    })
    .nullable(),
});
type Agent = z.infer<typeof agentSchema>;
type ProfileForm = {
  marketplaces: string[];
  languages: string[];
  capacity: string;
  premium: boolean;
  available: boolean;
};

/** Who takes cases: each agent's marketplaces, languages and capacity (how many open cases at once). */
export function AgentsPage() {
  const { t } = useTranslation('identity-admin');
  const agents = useLoad(() => api.get('/api/v1/admin/agents', z.array(agentSchema)), []);
  const marketplaces = useLoad(loadMarketplaces, []);
  const [editing, setEditing] = useState<Agent | null>(null);
  const [form, setForm] = useState<ProfileForm | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const edit = (a: Agent) => {
    setEditing(a);
    setNotice(null);
    setError(null);
    setForm({
      marketplaces: a.profile?.marketplaces ?? [],
      languages: a.profile?.languages ?? [],
      capacity: String(a.profile?.capacity ?? 8),
      premium: a.profile?.premium ?? false,
      available: a.profile?.available ?? true,
    });
    // Focus follows the action to the form, for keyboard and screen-reader users.
    setTimeout(() => heading.current?.focus(), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing || !form) return;
    setBusy(true);
    setError(null);
    try {
      await api.put(`/api/v1/admin/agents/${editing.userId}`, {
        marketplaces: form.marketplaces,
        languages: form.languages,
        capacity: Number(form.capacity),
        premium: form.premium,
        available: form.available,
      });
      setNotice(t('profileSaved', { name: editing.displayName }));
      setEditing(null);
      setForm(null);
      await agents.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('agentsTitle')}>
      <p>{t('agentsIntro')}</p>
      <ErrorMessage error={agents.error} />
      <Notice text={notice} />
      {agents.data && (
        <DataTable
          caption={t('agentsCaption')}
          rows={agents.data}
          rowKey={(a) => a.userId}
          columns={[
            { header: t('name'), cell: (a) => a.displayName },
            { header: t('role'), cell: (a) => t(`role_${a.role}`) },
            { header: t('marketplaces'), cell: (a) => a.profile?.marketplaces.join(', ') ?? t('noProfile') },
            { header: t('languages'), cell: (a) => a.profile?.languages.join(', ') ?? '—' },
            { header: t('capacity'), cell: (a) => a.profile?.capacity ?? '—', numeric: true },
            { header: t('openCases'), cell: (a) => a.profile?.openCases ?? 0, numeric: true },
            {
              header: t('availability'),
              cell: (a) => (a.profile ? (a.profile.available ? t('available') : t('away')) : '—'),
            },
            {
              header: t('actions'),
              cell: (a) => (
                <Button
                  variant="secondary"
                  aria-label={t('editOf', { name: a.displayName })}
                  onClick={() => edit(a)}
                >
                  {t('edit')}
                </Button>
              ),
            },
          ]}
        />
      )}
      {editing && form && (
        <section className="admin-section" aria-labelledby="edit-agent">
          <h2 id="edit-agent" ref={heading} tabIndex={-1}>
            {t('editOf', { name: editing.displayName })}
          </h2>
          <form className="admin-form" onSubmit={(e) => void submit(e)}>
            <div className="wide">
              <CheckboxGroup
                legend={t('marketplaces')}
                options={(marketplaces.data ?? []).map((m) => ({
                  value: m.id,
                  label: `${m.name} (${m.id})`,
                }))}
                value={form.marketplaces}
                onChange={(v) => setForm({ ...form, marketplaces: v })}
              />
            </div>
            <div className="wide">
              <CheckboxGroup
                legend={t('languages')}
                options={LANGUAGE_OPTIONS.map((l) => ({ value: l, label: t(`language_${l}`) }))}
                value={form.languages}
                onChange={(v) => setForm({ ...form, languages: v })}
              />
            </div>
            <TextField
              label={t('capacity')}
              hint={t('capacityHint')}
              type="number"
              min={1}
              max={100}
              required
              value={form.capacity}
              onChange={(e) => setForm({ ...form, capacity: e.target.value })}
            />
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.available}
                onChange={(e) => setForm({ ...form, available: e.target.checked })}
              />
              <span>{t('availableField')}</span>
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.premium}
                onChange={(e) => setForm({ ...form, premium: e.target.checked })}
              />
              <span>{t('premiumField')}</span>
            </label>
            <div className="admin-actions wide">
              <Button type="submit" busy={busy}>
                {t('saveProfile')}
              </Button>
              <Button variant="secondary" onClick={() => setEditing(null)}>
                {t('cancel')}
              </Button>
            </div>
          </form>
          <ErrorMessage error={error} />
        </section>
      )}
    </Page>
  );
}
