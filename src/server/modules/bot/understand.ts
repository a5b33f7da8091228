// What the bot understands of one buyer message: language, intent with confidence, entities.
import { type Classifier, classify, decide, type ModelKind, trainClassifier } from './classifier';
import { type Example, loadCorpus } from './corpus';
import { type Entities, extractEntities } from './entities';
import { detectHumanRequest, withoutAskThrough } from './human-request';
import { type BotLanguage, type Intent, isBotLanguage } from './intents';
import { detectLanguage, type LanguageModel, trainLanguageModel } from './language';

export type BotModel = {
  classifier: Classifier;
  language: LanguageModel;
  trainedInMs: number;
  examples: number;
};

export type Understanding = {
  lang: BotLanguage;
  intent: Intent;
  confidence: number;
  /** A manager was asked for: an escalation to a supervisor (SPEC C5). */
  escalation: boolean;
  entities: Entities;
};

export type ConversationContext = {
  /** The marketplace's languages: the only ones a message is read in. */
  languages: readonly string[];
  /** The conversation's language so far; short or ambiguous messages keep it. */
  conversationLanguage: string;
  timeZone: string;
  currency: string;
  orderNumberPattern?: string | null;
  now: Date;
};

export function buildBotModel(
  examples: readonly Example[] = loadCorpus(),
  kind: ModelKind = 'linear',
): BotModel {
  const started = performance.now();
  const classifier = trainClassifier(examples, kind);
  const language = trainLanguageModel(examples);
  return {
    classifier,
    language,
    examples: examples.length,
    trainedInMs: Math.round(performance.now() - started),
  };
}

/**
 * How much of a message the bot reads. Buyers say what they want first; reading a whole 10 MiB e-mail
 * would hold the server for seconds (≈ 1.8 s per megabyte) and list thousands of "entities".
 */
export const READ_CHARACTERS = 4000;

export function understand(model: BotModel, message: string, ctx: ConversationContext): Understanding {
  const text = message.length > READ_CHARACTERS ? message.slice(0, READ_CHARACTERS) : message;
  const allowed = ctx.languages.filter(isBotLanguage);
  const fallback = isBotLanguage(ctx.conversationLanguage) ? ctx.conversationLanguage : (allowed[0] ?? 'en');
  const { lang } = detectLanguage(model.language, text, allowed, fallback);
  const entities = extractEntities(text, ctx);
  const human = detectHumanRequest(text);
  if (human.person)
    return { lang, intent: 'human_agent', confidence: 1, escalation: human.manager, entities };
  const decision = decide(model.classifier, classify(model.classifier, withoutAskThrough(text), lang));
  return {
    lang,
    intent: decision.intent,
    confidence: round(decision.confidence),
    escalation: false,
    entities,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
