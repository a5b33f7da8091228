export { autoEnrolNewSellers, enrol, sellerStatusAt, servicesOf, withdraw } from './enrolment';
export { type ServiceStatus, statusAt } from './enrolment-policy';
export { insertPolicy } from './programs.repository';
export { programsRoutes } from './programs.routes';
