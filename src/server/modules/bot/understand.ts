// What the bot understands of one buyer message: language, intent with confidence, entities.
import { type Calibration, loadCalibration, UNCALIBRATED } from './calibration';
import { type Classifier, type ModelKind, trainClassifier } from './classifier';
import { type Example, loadCorpus } from './corpus';
import { type Entities, extractEntities } from './entities';
import { type BotLanguage, isBotLanguage } from './intents';
import { detectLanguage, type LanguageModel, trainLanguageModel } from './language';
import { type IntentReading, readIntent } from './reading';

export type BotModel = {
  classifier: Classifier;
  calibration: Calibration;
  language: LanguageModel;
  trainedInMs: number;
  examples: number;
};

export type Understanding = IntentReading & { lang: BotLanguage; entities: Entities };

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
    // The shipped calibration is the regression's; another model acts only when quite sure.
    calibration: kind === 'linear' ? loadCalibration() : UNCALIBRATED,
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
  // A message that names an order is about one already placed, not a question before buying.
  const aboutOrder = entities.orderNumbers.length > 0 || entities.orderReferences.length > 0;
  return { lang, ...readIntent(model.classifier, model.calibration[lang], text, lang, aboutOrder), entities };
}
