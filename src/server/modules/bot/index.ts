export { type ModelKind, modelKinds } from './classifier';
export { type Example, loadCorpus } from './corpus';
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
