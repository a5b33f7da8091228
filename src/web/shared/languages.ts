// The five languages of every page (SPEC: it, es, fr, de, en).
export const webLanguages = ['it', 'es', 'fr', 'de', 'en'] as const;
export type WebLanguage = (typeof webLanguages)[number];

export const isWebLanguage = (value: unknown): value is WebLanguage =>
  typeof value === 'string' && (webLanguages as readonly string[]).includes(value);

/** A module's texts: the English keys, each given in all five languages (the compiler checks the keys). */
export type ModuleTexts<Keys extends string = string> = Record<WebLanguage, Record<Keys, string>>;

/** Declares a module's texts; `en` names the keys every other language must have. */
export function defineTexts<const T extends Record<string, string>>(
  texts: { en: T } & Record<Exclude<WebLanguage, 'en'>, Record<keyof T, string>>,
): ModuleTexts<Extract<keyof T, string>> {
  return texts as ModuleTexts<Extract<keyof T, string>>;
}

/** Each language named in itself, for the switch. */
export const languageNames: Record<WebLanguage, string> = {
  it: 'Italiano',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  en: 'English',
};
