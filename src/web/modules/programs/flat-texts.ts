// The portal writes its texts as small trees (status.open, reason.wrong_item…); i18next namespaces
// of the web foundation are flat, with dotted keys. This turns one into the other.
import type { ModuleTexts, WebLanguage } from '../../shared/languages';

type Tree = { readonly [key: string]: string | Tree };

function flatten(tree: Tree, prefix = '', out: Record<string, string> = {}) {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out[`${prefix}${key}`] = value;
    else flatten(value, `${prefix}${key}.`, out);
  }
  return out;
}

export function flatTexts(
  texts: Record<WebLanguage, Tree>,
  extra?: Record<WebLanguage, Record<string, string>>,
) {
  return Object.fromEntries(
    Object.entries(texts).map(([lang, tree]) => [
      lang,
      { ...flatten(tree), ...(extra?.[lang as WebLanguage] ?? {}) },
    ]),
  ) as ModuleTexts;
}
