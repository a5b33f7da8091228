export { answerRequest, askSeller, caseLogTimerHandlers } from './case-log';
export { messagingTimerHandlers, SELLER_RESPONSE_TARGET_HOURS } from './messaging';
export { sellerInboxRoutes } from './seller-inbox.routes';
