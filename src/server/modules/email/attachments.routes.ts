// The files buyers attach to their e-mails, as the agent console shows them in a case's e-mail thread:
// a list (name, type, size, which message) and a download. Customer service only: the seller never
// sees what the buyer wrote to customer service (K5), so sellers are refused like buyers.
import { z } from 'zod';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { findCase } from '../cases';
import { caseAttachment, caseAttachments } from './email.repository';

const CASE_WORKERS = { roles: ['agent', 'supervisor'] as const };
const caseRef = z.object({ ref: z.string().min(1).max(64) });

/** A value for `filename*` (RFC 8187): `encodeURIComponent` leaves ' ( ) * ! as they are; they are not allowed. */
const rfc8187 = (name: string) =>
  encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

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
      const rows = await caseAttachments(db, c.id);
      return {
        attachments: rows.map((r) => ({
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
      const f = await caseAttachment(db, c.id, request.params.id);
      if (!f) throw notFound('Attachment');
      return reply
        .header('content-type', 'application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${f.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${rfc8187(f.filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(f.content);
    },
  );
}
