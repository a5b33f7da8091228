// Saved replies (/admin/saved-replies): the texts agents pick in a case, per language and marketplace,
// with placeholders filled from the case. Supervisors and admins keep them here.
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatLanguageName } from '../../shared/format';
import { Button, SelectField, TextField } from '../../shared/forms';
import { languageNames, webLanguages } from '../../shared/languages';
import { Page } from '../../shared/layout';
import { DataTable } from '../../shared/table';
import { Notice, useLoad } from '../marketplace/admin-parts';
import { loadMarketplaces } from '../marketplace/marketplaces-page';
import { api } from './api';

type Saved = {
  id: string;
  marketplace: string | null;
  language: string;
  title: string;
  body: string;
  updatedAt: string;
};
type Draft = { id: string | null; title: string; language: string; marketplace: string; body: string };

const PLACEHOLDERS = ['buyerName', 'orderNumber', 'caseNumber', 'agentName', 'marketplace'] as const;
const EVERY = '';
const blank = (language: string, marketplace: string): Draft => ({
  id: null,
  title: '',
  language,
  marketplace,
  body: '',
});

/** The placeholders of a text that the server does not know (it refuses them; said here first). */
export const unknownPlaceholders = (body: string) =>
  [...body.matchAll(/\{\{\s*([A-Za-z]+)\s*\}\}/g)]
    .map((m) => m[1]!)
    .filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));

export function SavedRepliesPage() {
  const { t } = useTranslation('cases');
  const [language, setLanguage] = useState<string>('it');
  const [marketplace, setMarketplace] = useState<string>(EVERY);
  const query = `language=${language}${marketplace ? `&marketplace=${marketplace}` : ''}`;
  const replies = useLoad(
    () => api<{ replies: Saved[] }>('GET', `/api/v1/saved-replies?${query}`).then((r) => r.replies),
    [query],
  );
  const marketplaces = useLoad(loadMarketplaces, []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const body = useRef<HTMLTextAreaElement>(null);

  const marketplaceName = (id: string | null) => (id ? id : t('everyMarketplace'));
  const open = (d: Draft) => {
    setDraft(d);
    setError(null);
    setNotice(null);
    // Focus follows the action to the form, for keyboard and screen-reader users.
    setTimeout(() => heading.current?.focus(), 0);
  };
  const insert = (name: string) => {
    if (!draft) return;
    const el = body.current;
    const at = el?.selectionStart ?? draft.body.length;
    const text = `{{${name}}}`;
    setDraft({ ...draft, body: draft.body.slice(0, at) + text + draft.body.slice(el?.selectionEnd ?? at) });
    setTimeout(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    }, 0);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      const payload = {
        title: draft.title,
        language: draft.language,
        marketplace: draft.marketplace || null,
        body: draft.body,
      };
      if (draft.id) await api('PUT', `/api/v1/admin/saved-replies/${draft.id}`, payload);
      else await api('POST', '/api/v1/admin/saved-replies', payload);
      setNotice(t('savedReplySaved', { title: draft.title }));
      setDraft(null);
      await replies.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (r: Saved) => {
    setError(null);
    try {
      await api('DELETE', `/api/v1/admin/saved-replies/${r.id}`);
      setConfirming(null);
      setNotice(t('savedReplyDeleted', { title: r.title }));
      await replies.reload();
    } catch (err) {
      setError(err);
    }
  };

  const unknown = draft ? unknownPlaceholders(draft.body) : [];
  const duplicate = error instanceof ApiError && error.code === 'conflict';
  const languageOptions = webLanguages.map((l) => ({ value: l, label: languageNames[l] }));
  const marketplaceOptions = [
    { value: EVERY, label: t('everyMarketplace') },
    ...(marketplaces.data ?? []).map((m) => ({ value: m.id, label: `${m.name} (${m.id})` })),
  ];

  return (
    <Page title={t('savedRepliesTitle')}>
      <p>{t('savedRepliesIntro')}</p>
      <form className="admin-form" onSubmit={(e) => e.preventDefault()} aria-label={t('savedRepliesFilter')}>
        <SelectField
          label={t('savedReplyLanguage')}
          options={languageOptions}
          value={language}
          onChange={(e) => setLanguage(e.target.value)}
        />
        <SelectField
          label={t('savedReplyMarketplace')}
          hint={t('savedReplyMarketplaceHint')}
          options={marketplaceOptions}
          value={marketplace}
          onChange={(e) => setMarketplace(e.target.value)}
        />
      </form>
      <p>
        <Button onClick={() => open(blank(language, marketplace))}>{t('savedReplyNew')}</Button>
      </p>
      <Notice text={notice} />
      <ErrorMessage error={replies.error} />
      {replies.data && (
        <DataTable
          caption={t('savedRepliesCaption', { language: formatLanguageName(language) })}
          rows={replies.data}
          rowKey={(r) => r.id}
          empty={t('savedRepliesEmpty')}
          columns={[
            { header: t('savedReplyTitle'), cell: (r) => r.title },
            { header: t('savedReplyMarketplace'), cell: (r) => marketplaceName(r.marketplace) },
            { header: t('savedReplyBody'), cell: (r) => <span className="saved-reply-body">{r.body}</span> },
            {
              header: t('savedReplyActions'),
              cell: (r) =>
                confirming === r.id ? (
                  <>
                    <Button variant="danger" onClick={() => void remove(r)}>
                      {t('savedReplyConfirmDelete', { title: r.title })}
                    </Button>{' '}
                    <Button variant="secondary" onClick={() => setConfirming(null)}>
                      {t('cancel')}
                    </Button>
                  </>
                ) : (
                  <>
                    <Button
                      variant="secondary"
                      aria-label={t('savedReplyEditOf', { title: r.title })}
                      onClick={() =>
                        open({
                          id: r.id,
                          title: r.title,
                          language: r.language,
                          marketplace: r.marketplace ?? EVERY,
                          body: r.body,
                        })
                      }
                    >
                      {t('edit')}
                    </Button>{' '}
                    <Button
                      variant="secondary"
                      aria-label={t('savedReplyDeleteOf', { title: r.title })}
                      onClick={() => setConfirming(r.id)}
                    >
                      {t('delete')}
                    </Button>
                  </>
                ),
            },
          ]}
        />
      )}
      {draft && (
        <section className="admin-section" aria-labelledby="saved-reply-form">
          <h2 id="saved-reply-form" ref={heading} tabIndex={-1}>
            {draft.id ? t('savedReplyEditOf', { title: draft.title }) : t('savedReplyNew')}
          </h2>
          <form className="admin-form" onSubmit={(e) => void save(e)}>
            <TextField
              label={t('savedReplyTitle')}
              required
              maxLength={120}
              value={draft.title}
              error={duplicate ? t('savedReplyDuplicate') : null}
              onChange={(e) => setDraft({ ...draft, title: e.target.value })}
            />
            <SelectField
              label={t('savedReplyLanguage')}
              options={languageOptions}
              value={draft.language}
              onChange={(e) => setDraft({ ...draft, language: e.target.value })}
            />
            <SelectField
              label={t('savedReplyMarketplace')}
              options={marketplaceOptions}
              value={draft.marketplace}
              onChange={(e) => setDraft({ ...draft, marketplace: e.target.value })}
            />
            <div className="wide">
              <div className="field">
                <label htmlFor="saved-reply-body">
                  <span className="label-text">{t('savedReplyBody')}</span>
                </label>
                <textarea
                  id="saved-reply-body"
                  ref={body}
                  required
                  rows={6}
                  maxLength={5000}
                  aria-describedby="saved-reply-body-hint"
                  aria-invalid={unknown.length > 0 ? true : undefined}
                  value={draft.body}
                  onChange={(e) => setDraft({ ...draft, body: e.target.value })}
                />
                <span className="hint" id="saved-reply-body-hint">
                  {t('savedReplyBodyHint')}
                </span>
                {unknown.length > 0 ? (
                  <span className="field-error" role="alert">
                    {t('unknownPlaceholder', { names: unknown.map((n) => `{{${n}}}`).join(', ') })}
                  </span>
                ) : null}
              </div>
              <fieldset className="placeholders">
                <legend>{t('placeholdersTitle')}</legend>
                {PLACEHOLDERS.map((p) => (
                  <Button key={p} variant="secondary" onClick={() => insert(p)}>
                    {t('insertPlaceholder', { name: `{{${p}}}`, meaning: t(`placeholder_${p}`) })}
                  </Button>
                ))}
              </fieldset>
            </div>
            <div className="admin-actions wide">
              <Button type="submit" busy={busy} disabled={unknown.length > 0}>
                {t('savedReplySave')}
              </Button>
              <Button variant="secondary" onClick={() => setDraft(null)}>
                {t('cancel')}
              </Button>
            </div>
          </form>
          {duplicate ? null : <ErrorMessage error={error} />}
        </section>
      )}
    </Page>
  );
}
