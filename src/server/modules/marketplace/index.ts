export { applyRecords } from './apply-records';
export { demoMarketplaces } from './demo-marketplaces';
export { importRecords, type RejectedLine } from './import-records';
export {
  type ContactFacts,
  contactFacts,
  contactFactsQuery,
  findBuyerByEmail,
  findMarketplace,
  findOrder,
  findOrderFacts,
  findProductPage,
  findSeller,
  findSellerByEmail,
  firstLineTitles,
  listOrders,
  loadCalendar,
  type MarketplaceRow,
  type OrderFacts,
  phoneHoursOf,
  sellerIdInScope,
  sellerNames,
} from './marketplace.repository';
export { marketplaceRoutes } from './marketplace.routes';
export {
  cancelOrder,
  changeDeliveryAddress,
  decideAddressChange,
  decideCancellation,
  orderChangeFacts,
} from './order-changes';
export { nationalHolidays } from './public-holidays';
export { simulate, simulatedIds } from './simulator';
