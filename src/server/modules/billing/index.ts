export { figuresOf, marketplaceFacts } from './billing.repository';
export { billingRoutes } from './billing.routes';
export {
  addMonths,
  builtinSchedule,
  EURO_SCHEDULE,
  type FeeSchedule,
  isMonth,
  type Month,
  monthOf,
  US_SCHEDULE,
} from './fee-rules';
export { billingTimerHandlers, nextRunAt, type RunResult, runDueFeeMonths, runFeeMonth } from './monthly-run';
export { type RevisionResult, reviseFeeMonth } from './revisions';
export { simulateSchedule } from './simulation';
