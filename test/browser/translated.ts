// Whether a page is wholly in its language: no raw code (`order_status`, `topic.order_status`), no
// text key shown for a missing text (`takeNext`), and no English sentence of the page's namespaces
// left where the language has its own. Used by the journeys that run in more than one language.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { textsByNamespace } from './web-texts';

/** The English texts' longest literal pieces (between placeholders), long enough to be telling. */
function englishPieces(lang: string, namespaces: readonly string[]) {
  const pieces = new Set<string>();
  for (const ns of namespaces) {
    const texts = textsByNamespace[ns]!;
    for (const [key, en] of Object.entries(texts.en!)) {
      if ((texts as Record<string, Record<string, string>>)[lang]?.[key] === en) continue;
      for (const piece of en.split(/\{\{\s*\w+\s*\}\}/))
        if (piece.trim().length >= 10 && piece.trim().includes(' ')) pieces.add(piece.trim());
    }
  }
  return [...pieces];
}

export async function expectWhollyIn(page: Page, lang: string, namespaces: readonly string[]) {
  // What a person reads: the rendered text (innerText keeps words apart) and every choice of a list,
  // without the parts marked as another language (a product page in the case's language, the server's
  // English explanations): those are content, said to be in their language (WCAG 3.1.2); nor the
  // identifiers shown as such in <code> (a catalogue category, a decision's id).
  const text = await page.evaluate((pageLang) => {
    const other = [...document.body.querySelectorAll<HTMLElement>('[lang], code')].filter(
      (e) => e.tagName === 'CODE' || e.lang !== pageLang,
    );
    const shown = other.map((e) => e.style.display);
    for (const e of other) e.style.display = 'none';
    const choices = [...document.querySelectorAll('option, optgroup')]
      .filter((o) => !other.some((e) => e.contains(o)))
      .map((o) => (o.tagName === 'OPTGROUP' ? o.getAttribute('label') : o.textContent));
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is read
    const rendered = document.body.innerText;
    other.forEach((e, n) => {
      e.style.display = shown[n]!;
    });
    return [rendered, ...choices].join('\n');
  }, lang);
  const keys = new Set(namespaces.flatMap((ns) => Object.keys(textsByNamespace[ns]!.en!)));
  const words = text.split(/[\s·:,()“”"'’]+/).filter(Boolean);
  const problems = [
    ...words.filter((w) => /^[a-z]+(?:[._][a-z]+)+$/.test(w) && w.includes('_')).map((w) => `code: ${w}`),
    ...words.filter((w) => keys.has(w) && /[A-Z]/.test(w)).map((w) => `missing text: ${w}`),
    ...(lang === 'en' ? [] : englishPieces(lang, namespaces).filter((p) => text.includes(p))).map(
      (p) =>
        `English: ${p} in “${text.slice(Math.max(0, text.indexOf(p) - 40), text.indexOf(p) + p.length + 40)}”`,
    ),
  ];
  expect([...new Set(problems)], `${page.url()} in ${lang}`).toEqual([]);
}
