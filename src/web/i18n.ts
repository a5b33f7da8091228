import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isWebLanguage, type ModuleTexts, type WebLanguage, webLanguages } from './shared/languages';

// Every `texts.ts` under src/web is one i18next namespace, named after its folder (`shared`, or the
// module: `identity`, `help-center`…). A new module's texts are registered, and checked by the
// completeness test, just by existing.
const found = import.meta.glob<{ texts: ModuleTexts }>('./**/texts.ts', { eager: true });

export const textsByNamespace: Record<string, ModuleTexts> = Object.fromEntries(
  Object.entries(found).map(([path, mod]) => [namespaceOf(path), mod.texts]),
);

export function namespaceOf(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 2] ?? 'shared';
}

const STORED = 'onbehalf.language';

/** `?lang=` first, then the last choice, then the browser's languages, then English. */
export function initialLanguage(): WebLanguage {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (isWebLanguage(fromUrl)) return fromUrl;
  const stored = safeStorage()?.getItem(STORED);
  if (isWebLanguage(stored)) return stored;
  for (const tag of navigator.languages ?? []) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isWebLanguage(base)) return base;
  }
  return 'en';
}

export async function setupI18n(language: WebLanguage = initialLanguage()) {
  const resources = Object.fromEntries(
    webLanguages.map((lang) => [
      lang,
      Object.fromEntries(Object.entries(textsByNamespace).map(([ns, texts]) => [ns, texts[lang]])),
    ]),
  );
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: false,
    ns: Object.keys(textsByNamespace),
    defaultNS: 'shared',
    // React escapes what it renders; i18next must not escape a second time.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

export async function changeLanguage(language: WebLanguage) {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  safeStorage()?.setItem(STORED, language);
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage refused (a sandboxed frame, privacy settings)
  }
}
