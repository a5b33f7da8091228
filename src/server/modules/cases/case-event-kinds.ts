// Every kind of entry in a case's history (case_event.kind). The console shows each in words, so the
// list is closed: insertCaseEvent takes only these, and a test checks each has a text in five languages.
export const caseEventKinds = [
  'opened',
  'assigned',
  'buyer_wrote',
  'reopened',
  'agent_replied',
  'seller_asked',
  'seller_answered',
  'seller_overdue',
  'escalated',
  'reassigned',
  'owner_changed',
  'taken_over',
  'return_authorised',
  'call_logged',
  'callback_requested',
  'callback_due',
  'sla_warning',
  'sla_breached',
  'attachments_not_kept',
  'resolved',
  'closed',
  'rated',
  'rated_in_chat',
] as const;
export type CaseEventKind = (typeof caseEventKinds)[number];

/** Who an entry is recorded for (case_event.actor_kind's check). */
export const caseEventActors = ['buyer', 'seller', 'agent', 'supervisor', 'bot', 'system'] as const;
