export { findHelpMarketplace } from './help-center.repository';
export { helpCenterRoutes, widgetOriginsOf } from './help-center.routes';
export { dayIn, type OrderFacts, type OrderState, orderState } from './order-state';
