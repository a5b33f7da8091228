// Every module's timer handlers, in one table for the sweeper.
import { slaTimerHandlers } from '../modules/cases';
import { caseLogTimerHandlers, messagingTimerHandlers } from '../modules/seller-inbox';
import type { TimerHandlers } from '../platform/timers';

export const timerHandlers: TimerHandlers = {
  ...slaTimerHandlers,
  ...caseLogTimerHandlers,
  ...messagingTimerHandlers,
};
