// The files buyers attach to their e-mails, as the agent console shows them in a case's e-mail thread:
// a list (name, type, size, which message) and a download. Customer service only: the seller never
// sees what the buyer wrote to customer service (K5), so sellers are refused like buyers.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { findCase } from '../cases';

const CASE_WORKERS = { roles: ['agent', 'supervisor'] as const };
const caseRef = z.object({ ref: z.string().min(1).max(64) });

export function emailAttachmentRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/cases/:ref/attachments',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary: "The files attached to the case's inbound e-mails, oldest first",
        description:
          'Only the files that were kept (within the size and count limits); the others are in the case ' +
          'history as `attachments_not_kept`. Download one with `GET /api/v1/cases/{ref}/attachments/{id}`.',
        params: caseRef,
        response: {
          200: z.object({
            attachments: z.array(
              z.object({
                id: z.string(),
                filename: z.string(),
                contentType: z.string(),
                sizeBytes: z.number(),
                from: z.string(),
                subject: z.string(),
                receivedAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const c = await findCase(db, request.params.ref);
      if (!c) throw notFound('Case');
      const rows = await sql<{
        id: string;
        filename: string;
        content_type: string;
        size_bytes: number;
        from_address: string;
        subject: string;
        at: Date;
      }>`select a.id::text, a.filename, a.content_type, a.size_bytes, m.from_address, m.subject, m.at
        from email_attachment a join email_message m on m.id = a.email_message_id
        where m.case_id = ${c.id}::uuid and m.direction = 'in' order by m.at, a.id`.execute(db);
      return {
        attachments: rows.rows.map((r) => ({
          id: r.id,
          filename: r.filename,
          contentType: r.content_type,
          sizeBytes: r.size_bytes,
          from: r.from_address,
          subject: r.subject,
          receivedAt: r.at.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/cases/:ref/attachments/:id',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary: 'Download a file attached to an e-mail of the case',
        description:
          'Always a download (`content-disposition: attachment`, `nosniff`), never shown inline: a file a ' +
          'buyer sent is not trusted to be what its type says.',
        params: z.object({ ref: z.string().min(1).max(64), id: z.string().regex(/^\d{1,18}$/) }),
      },
    },
    async (request, reply) => {
      const c = await findCase(db, request.params.ref);
      if (!c) throw notFound('Case');
      const f = (
        await sql<{ filename: string; content_type: string; content: Buffer }>`
          select a.filename, a.content_type, a.content
          from email_attachment a join email_message m on m.id = a.email_message_id
          where a.id = ${request.params.id}::bigint and m.case_id = ${c.id}::uuid and m.direction = 'in'`.execute(
          db,
        )
      ).rows[0];
      if (!f) throw notFound('Attachment');
      return reply
        .header('content-type', 'application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${f.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(f.content);
    },
  );
}
