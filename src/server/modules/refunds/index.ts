export {
  concessionActions,
  concessionOptions,
  concessionReasons,
  concessionRules,
} from './concession-policy';
export {
  approvalLimits,
  decideApproval,
  grantConcession,
  grantConcessionInChat,
  optionsForOrder,
} from './concessions';
export { refundDeadlineTimerHandlers } from './refund-deadlines';
export { refundsRoutes } from './refunds.routes';
