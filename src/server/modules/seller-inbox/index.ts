export {
  answerRequest,
  askSeller,
  askSellerAboutProduct,
  CASE_LOG_DUE_HOURS,
  caseLogTimerHandlers,
} from './case-log';
export { messagingTimerHandlers, SELLER_RESPONSE_TARGET_HOURS } from './messaging';
export { activeProductAnswers, type ProductAnswerRow } from './product-answers';
export { sellerInboxRoutes } from './seller-inbox.routes';
