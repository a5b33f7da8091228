export { concessionOptions } from './concession-policy';
export { decideApproval, grantConcession } from './concessions';
export { refundsRoutes } from './refunds.routes';
