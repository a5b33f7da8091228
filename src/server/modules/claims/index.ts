export { claimReasons, DEFAULT_CLAIM_SETTINGS } from './claim-policy';
export { claimTimerHandlers } from './claims';
export { claimsRoutes } from './claims.routes';
