// Every module's timer handlers, in one table for the sweeper.
import { assistantTimerHandlers } from '../modules/assistant';
import { billingTimerHandlers } from '../modules/billing';
import { phoneTimerHandlers, slaTimerHandlers } from '../modules/cases';
import { claimTimerHandlers } from '../modules/claims';
import { emailTimerHandlers } from '../modules/email';
import { notificationTimerHandlers, webhookTimerHandlers } from '../modules/notifications';
import { refundDeadlineTimerHandlers } from '../modules/refunds';
import { caseLogTimerHandlers, messagingTimerHandlers } from '../modules/seller-inbox';
import type { Config } from '../platform/config';
import type { Mailer } from '../platform/mail';
import type { TimerHandlers } from '../platform/timers';

export function timerHandlers(config: Config, mailer: Mailer): TimerHandlers {
  const mail = {
    from: config.mailFrom,
    domain: config.mailDomain,
    replyTokenSecret: config.replyTokenSecret,
  };
  return {
    ...slaTimerHandlers,
    ...phoneTimerHandlers,
    ...caseLogTimerHandlers,
    ...messagingTimerHandlers,
    ...notificationTimerHandlers(mailer, mail),
    ...emailTimerHandlers(mailer, mail),
    ...refundDeadlineTimerHandlers,
    ...claimTimerHandlers,
    ...webhookTimerHandlers,
    ...assistantTimerHandlers,
    ...billingTimerHandlers,
  };
}
