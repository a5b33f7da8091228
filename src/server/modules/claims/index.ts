export { claimTimerHandlers } from './claims';
export { claimsRoutes } from './claims.routes';
