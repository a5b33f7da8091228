// A case's statuses, shared by the server's case rules and the pages that filter or show them.
export const caseStatuses = [
  'new',
  'waiting_for_agent',
  'waiting_for_buyer',
  'waiting_for_seller',
  'escalated',
  'resolved',
  'closed',
  'reopened',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];
