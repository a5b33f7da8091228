export { buyerConversationsRoutes } from './buyer-conversations.routes';
export { DEFAULT_SLA } from './case-rules';
export { type Actor, backFromSeller, mustHandle, waitForSeller } from './case-work';
export { findCase, insertCaseEvent } from './cases.repository';
export { casesRoutes, caseWorkerOf } from './cases.routes';
export { chatCases } from './chat';
export { type ContactInput, receiveContact } from './contacts';
export { phoneTimerHandlers } from './phone';
export { slaTimerHandlers } from './sla-timers';
