// What waits on a supervisor: escalated cases, and concessions above an agent's limit waiting for approval.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';

export type WaitingEscalation = {
  case_number: string;
  marketplace_id: string;
  language: string;
  escalation_reason: string | null;
  owner_name: string | null;
  updated_at: Date;
};
export type WaitingApproval = {
  id: string;
  case_number: string | null;
  action: string;
  reason: string;
  amount: string;
  currency: string;
  requested_by: string | null;
  requested_at: Date;
};

export async function waitingOnSupervisors(db: Db) {
  const [escalations, approvals] = await Promise.all([
    sql<WaitingEscalation>`select c.case_number, c.marketplace_id, c.language, c.escalation_reason,
        u.display_name as owner_name, c.updated_at
      from cs_case c left join app_user u on u.id = c.owner_user_id
      where c.status = 'escalated' order by c.updated_at limit 200`.execute(db),
    sql<WaitingApproval>`select k.id, c.case_number, k.action, k.reason,
        (k.amount_items + k.amount_shipping)::text as amount, k.currency,
        u.display_name as requested_by, k.decided_at as requested_at
      from concession k left join cs_case c on c.id = k.case_id left join app_user u on u.id = k.decided_by
      where k.status = 'pending_approval' order by k.decided_at limit 200`.execute(db),
  ]);
  return { escalations: escalations.rows, approvals: approvals.rows };
}
