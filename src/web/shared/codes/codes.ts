// A domain code in words, in the page's language; an unknown code (a newer server) is shown as is.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CodeGroup } from './texts';

export type CodeWords = (group: CodeGroup, code: string | null | undefined) => string;

/** `wordsFor(t)('topic', 'order_status')` → "Where is my order"; `not_allowed:<rule>` reads as the rule. */
export const wordsFor =
  (t: TFunction): CodeWords =>
  (group, code) => {
    if (!code) return '—';
    const bare = code.startsWith('not_allowed:') ? code.slice('not_allowed:'.length) : code;
    return t(`${group}.${bare}`, { ns: 'codes', defaultValue: bare });
  };

export function useCodeWords(): CodeWords {
  const { t } = useTranslation('codes');
  return wordsFor(t);
}
