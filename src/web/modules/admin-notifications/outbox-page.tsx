import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { Button } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { useLoad } from '../marketplace/admin-parts';

const mailSchema = z.object({ file: z.string(), raw: z.string() });

/** A raw message's headers, for the summary line (first occurrence, unfolded). */
export function headerOf(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** E-mails written to the outbox folder (no SMTP_URL set): newest first, each as its raw text. */
export function OutboxPage() {
  const { t } = useTranslation('admin-notifications');
  const mails = useLoad(() => api.get('/api/v1/admin/outbox?limit=100', z.array(mailSchema)), []);
  return (
    <Page
      title={t('outboxTitle')}
      actions={
        <Button variant="secondary" onClick={() => void mails.reload()}>
          {t('refresh')}
        </Button>
      }
    >
      <p>{t('outboxIntro')}</p>
      <ErrorMessage error={mails.error} />
      {mails.data && mails.data.length === 0 && <p>{t('outboxEmpty')}</p>}
      {mails.data && mails.data.length > 0 && (
        <ul className="outbox-list" aria-label={t('outboxTitle')}>
          {mails.data.map((m) => (
            <li key={m.file}>
              <details>
                <summary>
                  <strong>{headerOf(m.raw, 'Subject') || t('noSubject')}</strong> —{' '}
                  {t('toWhom', { to: headerOf(m.raw, 'To') })} · {headerOf(m.raw, 'Date')}
                </summary>
                <p className="hint">{m.file}</p>
                <pre className="mail-raw">{m.raw}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
