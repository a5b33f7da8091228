export { autoEnrolNewSellers, enrol, sellerStatusAt, servicesOf, withdraw } from './enrolment';
export {
  type ContactStatus,
  contactStatusAt,
  type EnrolmentPeriod,
  type ServiceStatus,
  statusAt,
} from './enrolment-policy';
export {
  enrolmentPeriodsColumn,
  insertPolicy,
  type PeriodsColumn,
  periodsFromColumn,
} from './programs.repository';
export { programsRoutes } from './programs.routes';
