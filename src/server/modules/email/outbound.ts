// Outbound e-mail of the e-mail channel: an agent's reply to the buyer, in the same thread (signed
// Reply-To, In-Reply-To and References), and the reason a seller's forwarded message was refused.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { type Mailer, newMessageId } from '../../platform/mail';
import { replyAddress } from '../../platform/reply-token';
import type { TimerHandlers } from '../../platform/timers';
import { findCase } from '../cases';

export type OutboundSettings = { from: string; domain: string; replyTokenSecret: string };

const reSubject = (s: string) => (/^re:/i.test(s) ? s : `Re: ${s}`);

// The few words the e-mail channel adds around an agent's reply, and its refusal to a seller.
const WORDS: Record<string, { team: string; case: string; refused: (reason: string) => string }> = {
  en: {
    team: 'Customer service',
    case: 'Case',
    refused: (r) =>
      `We cannot take this message on the buyer's behalf: ${r}\n\nPlease answer the buyer through buyer–seller messaging.`,
  },
  it: {
    team: 'Servizio clienti',
    case: 'Caso',
    refused: (r) =>
      `Non possiamo prendere in carico questo messaggio per conto dell'acquirente: ${r}\n\nRispondi all'acquirente tramite i messaggi acquirente-venditore.`,
  },
  es: {
    team: 'Atención al cliente',
    case: 'Caso',
    refused: (r) =>
      `No podemos atender este mensaje en nombre del comprador: ${r}\n\nResponde al comprador mediante la mensajería comprador-vendedor.`,
  },
  fr: {
    team: 'Service client',
    case: 'Dossier',
    refused: (r) =>
      `Nous ne pouvons pas traiter ce message pour le compte de l'acheteur : ${r}\n\nMerci de répondre à l'acheteur via la messagerie acheteurs-vendeurs.`,
  },
  de: {
    team: 'Kundenservice',
    case: 'Fall',
    refused: (r) =>
      `Wir können diese Nachricht nicht im Namen des Käufers übernehmen: ${r}\n\nBitte antworten Sie dem Käufer über die Käufer-Verkäufer-Kommunikation.`,
  },
};
export const wordsFor = (language: string | undefined) => WORDS[language ?? 'en'] ?? WORDS.en!;

export function emailTimerHandlers(mailer: Mailer, settings: OutboundSettings): TimerHandlers {
  return {
    async send_case_email(tx, payload, now) {
      const c = await findCase(tx, String(payload.caseId));
      if (!c?.buyer_id) return;
      const buyer = (
        await sql<{ email: string }>`select email from buyer where id = ${c.buyer_id}::uuid`.execute(tx)
      ).rows[0];
      if (!buyer) return;
      const thread = await threadOf(tx, c.id);
      const agent = (
        await sql<{
          display_name: string;
        }>`select display_name from app_user where id = ${String(payload.authorUserId ?? '')}::uuid`
          .execute(tx)
          .catch(() => ({ rows: [] as { display_name: string }[] }))
      ).rows[0];
      const subject = thread.subject ? reSubject(thread.subject) : `[${c.case_number}] Customer service`;
      const tagged = subject.includes(`[${c.case_number}]`) ? subject : `${subject} [${c.case_number}]`;
      const messageId = newMessageId(settings.domain);
      await mailer.send({
        from: settings.from,
        to: buyer.email,
        replyTo: replyAddress(settings.replyTokenSecret, settings.domain, 'case', c.id),
        subject: tagged,
        text: `${String(payload.body)}\n\n— ${agent?.display_name ?? wordsFor(c.language).team}\n${wordsFor(c.language).case} ${c.case_number}`,
        messageId,
        inReplyTo: thread.lastInbound ?? undefined,
        references: thread.references,
      });
      await sql`insert into email_message (message_id, direction, case_id, from_address, to_address, subject, at)
        values (${messageId}, 'out', ${c.id}::uuid, ${settings.from}, ${buyer.email}, ${tagged}, ${now})`.execute(
        tx,
      );
    },

    async send_refusal_email(tx, payload) {
      const seller = (
        await sql<{
          languages: string[];
        }>`select languages from seller where lower(default_email) = lower(${String(payload.to)})`.execute(tx)
      ).rows[0];
      const language = seller?.languages.find((l) => l in WORDS);
      await mailer.send({
        from: settings.from,
        to: String(payload.to),
        subject: reSubject(String(payload.subject ?? '')),
        text: wordsFor(language).refused(String(payload.reason)),
        messageId: newMessageId(settings.domain),
        inReplyTo: String(payload.inReplyTo),
      });
    },
  };
}

/** The buyer's thread of a case; the seller's case-log e-mails are another conversation (K5). */
async function threadOf(db: Db, caseId: string) {
  const r = await sql<{ message_id: string; direction: string; subject: string }>`
    select message_id, direction, subject from email_message
    where case_id = ${caseId}::uuid and case_log_request_id is null order by at, id`.execute(db);
  const inbound = r.rows.filter((m) => m.direction === 'in');
  return {
    subject: r.rows[0]?.subject ?? null,
    lastInbound: inbound.at(-1)?.message_id ?? null,
    references: r.rows.map((m) => m.message_id),
  };
}
