import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../shared/forms';
import './admin.css';

// Small pieces every admin page uses (marketplace, identity and admin-notifications pages).

/** Loads once per change of `deps`; `reload` fetches again after a write. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loadRef.current();
      setState({ data, error: null, loading: false });
    } catch (error) {
      setState({ data: null, error, loading: false });
    }
  }, []);
  // The caller names what the load depends on; a change of any of them loads again.
  const key = JSON.stringify(deps);
  useEffect(() => {
    if (key !== undefined) void reload();
  }, [key, reload]);
  return { ...state, reload };
}

/** A polite live message after a save ("Saved"), read out by screen readers. */
export function Notice({ text }: { text: string | null }) {
  return (
    <p className="admin-notice" role="status">
      {text ?? ''}
    </p>
  );
}

/**
 * A secret the server shows once (an API key, a webhook signing secret): in a box with a copy button,
 * gone for good once dismissed.
 */
export function SecretOnce({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  const { t } = useTranslation('marketplace');
  const [copied, setCopied] = useState(false);
  return (
    <section className="secret-once" aria-labelledby="secret-once-title">
      <h2 id="secret-once-title">{title}</h2>
      <p>{t('secretOnceWarning')}</p>
      <p>
        <code className="secret-value" data-testid="secret-value">
          {secret}
        </code>
      </p>
      <div className="admin-actions">
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard
              ?.writeText(secret)
              .then(() => setCopied(true))
              .catch(() => setCopied(false));
          }}
        >
          {t('copy')}
        </Button>
        <Button onClick={onDone}>{t('secretStored')}</Button>
      </div>
      <p role="status">{copied ? t('copied') : ''}</p>
    </section>
  );
}

/** A set of checkboxes with one visible group label. */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: readonly { value: string; label: string }[];
  value: readonly string[];
  onChange: (next: string[]) => void;
}) {
  return (
    <fieldset className="checkbox-group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(o.value)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))
            }
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export const LANGUAGE_OPTIONS = ['it', 'es', 'fr', 'de', 'en'] as const;
