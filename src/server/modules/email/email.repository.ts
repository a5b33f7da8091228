// What the e-mail module stores about a case's messages that the console reads: the files buyers attached.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';

export type CaseAttachment = {
  id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  from_address: string;
  subject: string;
  at: Date;
};

/** The files kept from the case's inbound e-mails, oldest first. */
export async function caseAttachments(db: Db, caseId: string): Promise<CaseAttachment[]> {
  const r =
    await sql<CaseAttachment>`select a.id::text, a.filename, a.content_type, a.size_bytes, m.from_address,
      m.subject, m.at
    from email_attachment a join email_message m on m.id = a.email_message_id
    where m.case_id = ${caseId}::uuid and m.direction = 'in' order by m.at, a.id`.execute(db);
  return r.rows;
}

/** One file of the case's inbound e-mails; a file of another case is not found, like one that does not exist. */
export async function caseAttachment(db: Db, caseId: string, id: string) {
  const r = await sql<{ filename: string; content_type: string; content: Buffer }>`
    select a.filename, a.content_type, a.content
    from email_attachment a join email_message m on m.id = a.email_message_id
    where a.id = ${id}::bigint and m.case_id = ${caseId}::uuid and m.direction = 'in'`.execute(db);
  return r.rows[0];
}
