// Answers to product questions from the product's own words (SPEC K2, M3): the detail page's bullet
// points, description sentences and attributes, and the seller's earlier answers. Simple and
// explainable on purpose — the question's content words, stemmed with the bot's stemmers, against each
// passage's — with thresholds so that it says "the page does not say" rather than guess.
import { type botLanguages, stemmed, tokens } from '../bot';

type BotLanguage = (typeof botLanguages)[number];

export type PagePassage = { field: 'bullet' | 'description' | 'attribute'; text: string };
export type ProductPage = {
  title: string;
  bullet_points: readonly string[];
  description: string;
  attributes: Readonly<Record<string, string>>;
};

/** The share of the question's content words a page passage must contain to answer it. */
export const PAGE_COVERAGE = 0.5;
/** How alike (Dice coefficient of content stems) a question must be to one the seller answered. */
export const SAME_QUESTION = 0.6;

// Function words and the words every question uses ("can", "does it come …"): they say nothing of
// what is asked. Folded (lower case, no accents), as `tokens` gives them.
const STOP: Record<BotLanguage, ReadonlySet<string>> = {
  en: new Set(
    'a an the is are was be been it its this that these those do does did can could would will should have has had i you we me my your of to in on for with by at from and or as so if not no yes what which how who when where why there any some much many about tell please know want like come comes go get need item product one'.split(
      ' ',
    ),
  ),
  it: new Set(
    'il lo la i gli le un uno una di a da in con su per tra fra e o ma se non si ci mi ti vi che chi cosa come quando dove quale quali quanto quanta quanti quante perche e è sono sia essere ha hanno ho avere questo questa questi queste quello quella del della dei delle al alla ai alle nel nella sul sulla puo possono posso vorrei sapere dire anche piu prodotto articolo'.split(
      ' ',
    ),
  ),
  es: new Set(
    'el la los las un una unos unas de a en con por para y o pero si no se me te le lo que quien como cuando donde cual cuales cuanto cuanta cuantos cuantas por que es son esta estan ser estar tiene tienen tengo este esta estos estas ese esa del al puede pueden puedo quiero saber decir tambien mas producto articulo hay'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'le la les l un une des de du d a au aux en dans avec pour par sur et ou mais si ne pas se me te il elle on que qui quoi comment quand ou quel quelle quels quelles combien pourquoi est sont etre a ont avoir ce cet cette ces est-ce peut peuvent puis je voudrais savoir dire aussi plus produit article y'.split(
      ' ',
    ),
  ),
  de: new Set(
    'der die das den dem des ein eine einen einem einer eines und oder aber wenn nicht kein keine ist sind sein war hat haben habe es er sie ich du wir man mich mir dich dir was wer wie wann wo welche welcher welches wieviel wie viel warum gibt dieser diese dieses zu von mit fur für bei auf aus in im an am kann konnen können möchte mochte wissen sagen auch mehr produkt artikel'.split(
      ' ',
    ),
  ),
};

/** The stems of a text's content words: no function words, no placeholders the tokeniser puts in. */
export function contentStems(text: string, lang: BotLanguage): Set<string> {
  const words = tokens(text).filter(
    (w) => w.length > 1 && !STOP[lang].has(w) && !/^x(question|number|amount|email|ordernumber)$/.test(w),
  );
  return new Set(stemmed(words, lang).stems);
}

export function pagePassages(page: ProductPage): PagePassage[] {
  const sentences = page.description
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return [
    ...page.bullet_points.map((text) => ({ field: 'bullet' as const, text })),
    ...sentences.map((text) => ({ field: 'description' as const, text })),
    ...Object.entries(page.attributes).map(([key, value]) => ({
      field: 'attribute' as const,
      text: `${key.replace(/_/g, ' ')}: ${value}`,
    })),
  ];
}

export type PassageMatch = { passage: PagePassage; coverage: number; matched: string[] };

/**
 * The page passage that answers the question, if one holds at least half of its content words. The
 * title's words name the product, so they count for no passage ("is the Acme kettle dishwasher-safe"
 * asks about "dishwasher-safe").
 */
export function bestPassage(question: string, page: ProductPage, lang: BotLanguage): PassageMatch | null {
  const title = contentStems(page.title, lang);
  const asked = [...contentStems(question, lang)].filter((s) => !title.has(s));
  if (asked.length === 0) return null;
  let best: PassageMatch | null = null;
  for (const passage of pagePassages(page)) {
    const has = contentStems(passage.text, lang);
    const matched = asked.filter((s) => has.has(s));
    const coverage = matched.length / asked.length;
    if (matched.length === 0 || coverage < PAGE_COVERAGE) continue;
    const better =
      !best ||
      coverage > best.coverage ||
      (coverage === best.coverage && passage.text.length < best.passage.text.length);
    if (better) best = { passage, coverage, matched };
  }
  return best;
}

/** Dice coefficient of two sets of stems. */
const dice = (a: Set<string>, b: Set<string>) => {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const s of a) if (b.has(s)) both++;
  return (2 * both) / (a.size + b.size);
};

/** The seller's earlier answer to the same question, if one is alike enough (the product's name aside). */
export function sameQuestion<T extends { question: string }>(
  question: string,
  answered: readonly T[],
  lang: BotLanguage,
  productTitle = '',
): { answer: T; similarity: number } | null {
  const title = contentStems(productTitle, lang);
  const without = (s: Set<string>) => new Set([...s].filter((x) => !title.has(x)));
  const asked = without(contentStems(question, lang));
  let best: { answer: T; similarity: number } | null = null;
  for (const a of answered) {
    const similarity = dice(asked, without(contentStems(a.question, lang)));
    if (similarity >= SAME_QUESTION && (!best || similarity > best.similarity))
      best = { answer: a, similarity };
  }
  return best;
}
