import { useTranslation } from 'react-i18next';
import { ApiError } from './api';

/** The words for a stable error code (the API's or the chat socket's) in the page's language; an unknown code gets the general sentence. */
export function useCodeText() {
  const { t, i18n } = useTranslation('shared');
  return (code: string): string => {
    const key = `error.${code}`;
    return i18n.exists(key, { ns: 'shared' }) ? t(key) : t('error.internal');
  };
}

/** The words for an API error: its stable code in the page's language, never the raw English message. */
export function useErrorText() {
  const codeText = useCodeText();
  return (error: unknown): string => codeText(error instanceof ApiError ? error.code : 'internal');
}

/** A page's own check of a form before anything is sent: its message is already in the page's words. */
export class InputProblem extends Error {}

/** An alert with the error in words, and the fields the API named (validation details). */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation('shared');
  const text = useErrorText();
  if (!error) return null;
  const fields = error instanceof ApiError ? error.details.map((d) => d.path).filter(Boolean) : [];
  return (
    <div className="error" role="alert">
      <strong>{t('errorTitle')}</strong> {error instanceof InputProblem ? error.message : text(error)}
      {error instanceof ApiError && <span className="error-code"> ({error.code})</span>}
      {fields.length > 0 && (
        <ul className="error-fields">
          {[...new Set(fields)].map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
