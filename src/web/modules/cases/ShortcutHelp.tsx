import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShortcuts } from './hooks';

/** The keys every console page answers to, in the order the help lists them. */
const KEYS = [
  ['R', 'shortcutReply'],
  ['N', 'shortcutNext'],
  ['X', 'shortcutResolve'],
  ['?', 'shortcutHelp'],
  ['Esc', 'shortcutEscape'],
] as const;

/** "?" opens (and closes) the list of shortcuts; Escape or Close shuts it and gives focus back. */
export function ShortcutHelp() {
  const { t } = useTranslation('cases');
  const [open, setOpen] = useState(false);
  const closeRef = useRef<HTMLButtonElement>(null);
  const before = useRef<Element | null>(null);
  useShortcuts({
    '?': () => {
      if (!open) before.current = document.activeElement;
      setOpen(!open);
    },
    escape: () => setOpen(false),
  });
  useEffect(() => {
    if (open) closeRef.current?.focus();
    else if (before.current instanceof HTMLElement) before.current.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div className="shortcut-help" role="dialog" aria-modal="true" aria-labelledby="shortcut-help-title">
      <h2 id="shortcut-help-title">{t('shortcutsTitle')}</h2>
      <dl>
        {KEYS.map(([key, text]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{t(text)}</dd>
          </div>
        ))}
      </dl>
      <button ref={closeRef} type="button" className="button secondary" onClick={() => setOpen(false)}>
        {t('close')}
      </button>
    </div>
  );
}
