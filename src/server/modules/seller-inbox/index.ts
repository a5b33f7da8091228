export { answerRequest, askSeller, caseLogTimerHandlers } from './case-log';
export { messagingTimerHandlers } from './messaging';
export { sellerInboxRoutes } from './seller-inbox.routes';
