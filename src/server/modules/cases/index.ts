export { casesRoutes } from './cases.routes';
export { type ContactInput, receiveContact } from './contacts';
export { slaTimerHandlers } from './sla-timers';
