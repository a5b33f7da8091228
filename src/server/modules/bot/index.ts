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
export {
  crossValidate,
  fitLearningCurve,
  messagesFor,
  type Prediction,
  parseEvalCsv,
  report,
} from './evaluation';
export { tokens } from './features';
export { botLanguages, intents } from './intents';
export {
  type BotModel,
  buildBotModel,
  type ConversationContext,
  type Understanding,
  understand,
} from './understand';
