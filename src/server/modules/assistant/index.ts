export { chatAssistant } from './assistant';
export { assistantTimerHandlers } from './assistant.jobs';
export { type BotPolicy, botPolicyOf, DEFAULT_BOT_POLICY, saveBotPolicy } from './assistant.repository';
export { assistantRoutes } from './assistant.routes';
