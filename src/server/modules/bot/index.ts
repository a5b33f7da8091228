export { botRoutes } from './bot.routes';
export {
  type Calibration,
  loadCalibration,
  reliability,
  saveCalibration,
  UNCALIBRATED,
} from './calibration';
export { type ModelKind, modelKinds } from './classifier';
export { type Example, loadCorpus } from './corpus';
export * from './dialogue';
export {
  dialogueTexts,
  localeOf,
  render as renderDialogueText,
  type TextKey,
  textFormatter,
} from './dialogue-texts';
export { type Entities, matchBuyerOrder } from './entities';
export {
  type ActedReading,
  actionReport,
  crossValidate,
  fitCalibration,
  fitLearningCurve,
  messagesFor,
  type Prediction,
  parseEvalCsv,
  readHeldOut,
  report,
} from './evaluation';
export { stemmed, tokens } from './features';
export { botLanguages, contactTopicOf, intents, isBotLanguage } from './intents';
export {
  acceptedExamples,
  listSuggestions,
  reviewSuggestion,
  type Suggestion,
  suggestFromSettledCase,
} from './suggestions';
export {
  type BotModel,
  buildBotModel,
  type ConversationContext,
  type Understanding,
  understand,
} from './understand';
