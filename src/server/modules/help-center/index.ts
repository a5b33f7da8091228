export { helpCenterRoutes, widgetOriginsOf } from './help-center.routes';
export { dayIn, type OrderFacts, type OrderState, orderState } from './order-state';
