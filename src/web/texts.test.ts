import { describe, expect, it } from 'vitest';
import { chatErrorCodes } from '../contracts/chat';
import { errorStatus } from '../server/platform/errors';
import { namespaceOf } from './i18n';
import { type ModuleTexts, webLanguages } from './shared/languages';

// Every texts.ts under src/web (each module's, and the shared one), found by file name: a module added
// later is checked without being listed here.
const found = import.meta.glob<{ texts: ModuleTexts }>('./**/texts.ts', { eager: true });

describe('web texts in five languages', () => {
  it('finds the shared texts and those of the first modules', () => {
    const namespaces = Object.keys(found).map(namespaceOf);
    for (const ns of ['shared', 'identity', 'help-center', 'cases', 'seller-inbox', 'marketplace'])
      expect(namespaces).toContain(ns);
  });

  for (const [path, mod] of Object.entries(found)) {
    it(`${path}: every key of every language is present and non-empty`, () => {
      const keys = new Set(webLanguages.flatMap((lang) => Object.keys(mod.texts[lang] ?? {})));
      expect(keys.size).toBeGreaterThan(0);
      for (const lang of webLanguages) {
        const texts = mod.texts[lang];
        expect(texts, `${path} has no ${lang}`).toBeDefined();
        for (const key of keys) {
          const text = texts?.[key];
          expect(typeof text === 'string' && text.trim().length > 0, `${path} ${lang}.${key} missing`).toBe(
            true,
          );
        }
      }
    });

    it(`${path}: placeholders are the same in every language`, () => {
      const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      for (const key of Object.keys(mod.texts.en))
        for (const lang of webLanguages)
          expect(placeholders(mod.texts[lang][key]!), `${path} ${lang}.${key}`).toEqual(
            placeholders(mod.texts.en[key]!),
          );
    });
  }

  it('puts every API and chat error code into words', () => {
    const shared = Object.entries(found).find(([path]) => namespaceOf(path) === 'shared')![1].texts;
    for (const code of [...Object.keys(errorStatus), ...chatErrorCodes, 'network', 'unexpected_response'])
      expect(shared.en[`error.${code}`], code).toBeTruthy();
  });
});
