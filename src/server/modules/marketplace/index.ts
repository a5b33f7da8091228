export { applyRecords } from './apply-records';
export { importRecords } from './import-records';
export { findOrder, findSeller, loadCalendar } from './marketplace.repository';
export { marketplaceRoutes } from './marketplace.routes';
export { nationalHolidays } from './public-holidays';
