export { concessionOptions, concessionReasons } from './concession-policy';
export { decideApproval, grantConcession } from './concessions';
export { refundDeadlineTimerHandlers } from './refund-deadlines';
export { refundsRoutes } from './refunds.routes';
