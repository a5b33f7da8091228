// Outbound e-mail of the e-mail channel: an agent's reply to the buyer, in the same thread (signed
// Reply-To, In-Reply-To and References), the reason a seller's forwarded message was refused, and
// which attachments of an inbound message were not kept.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { type Mailer, newMessageId } from '../../platform/mail';
import { replyAddress } from '../../platform/reply-token';
import type { TimerHandlers } from '../../platform/timers';
import { findCase } from '../cases';
import { findConversation, messagesAfter } from '../conversations';
import { findMarketplace } from '../marketplace';
import type { NotKeptAttachment } from './inbound';
import { transcriptMail } from './transcript';

export type OutboundSettings = { from: string; domain: string; replyTokenSecret: string };

const reSubject = (s: string) => (/^re:/i.test(s) ? s : `Re: ${s}`);

/** Why a seller's forwarded message was refused (inbound.ts); the routing refusals keep their codes. */
type RefusalReason =
  | 'forward_refused_home_country'
  | 'forward_refused_unknown_order'
  | 'forward_refused_no_order'
  | 'forward_refused_not_seller_fulfilled'
  | 'forward_refused_not_enrolled';
type Words = {
  team: string;
  case: string;
  refused: (reason: string) => string;
  /** Each refusal reason in words; `country` is the forwarding address's country, named in this language. */
  reasons: Record<RefusalReason, (country: string) => string>;
};

// The few words the e-mail channel adds around an agent's reply, and its refusal to a seller.
const WORDS: Record<string, Words> = {
  en: {
    team: 'Customer service',
    case: 'Case',
    refused: (r) =>
      `We cannot take this message on the buyer's behalf: ${r}\n\nPlease answer the buyer through buyer–seller messaging.`,
    reasons: {
      forward_refused_home_country: (c) => `this forwarding address is for sellers based in ${c}.`,
      forward_refused_unknown_order: () => 'we found no order of yours with that number in this marketplace.',
      forward_refused_no_order: () => 'a forwarded message must name the order it is about.',
      forward_refused_not_seller_fulfilled: () =>
        'the order is fulfilled by the marketplace, whose customer service already handles it.',
      forward_refused_not_enrolled: () =>
        'you are not enrolled in the managed customer service, so the contact stays with you.',
    },
  },
  it: {
    team: 'Servizio clienti',
    case: 'Caso',
    refused: (r) =>
      `Non possiamo prendere in carico questo messaggio per conto dell'acquirente: ${r}\n\nRispondi all'acquirente tramite i messaggi acquirente-venditore.`,
    reasons: {
      forward_refused_home_country: (c) =>
        `questo indirizzo di inoltro è riservato ai venditori con sede in questo paese: ${c}.`,
      forward_refused_unknown_order: () =>
        'non abbiamo trovato un tuo ordine con quel numero in questo marketplace.',
      forward_refused_no_order: () => 'un messaggio inoltrato deve indicare l’ordine a cui si riferisce.',
      forward_refused_not_seller_fulfilled: () =>
        'l’ordine è evaso dal marketplace, il cui servizio clienti lo gestisce già.',
      forward_refused_not_enrolled: () =>
        'non sei iscritto al servizio clienti gestito, quindi il contatto resta a te.',
    },
  },
  es: {
    team: 'Atención al cliente',
    case: 'Caso',
    refused: (r) =>
      `No podemos atender este mensaje en nombre del comprador: ${r}\n\nResponde al comprador mediante la mensajería comprador-vendedor.`,
    reasons: {
      forward_refused_home_country: (c) =>
        `esta dirección de reenvío es para vendedores con sede en este país: ${c}.`,
      forward_refused_unknown_order: () =>
        'no encontramos ningún pedido tuyo con ese número en este marketplace.',
      forward_refused_no_order: () => 'un mensaje reenviado debe indicar el pedido al que se refiere.',
      forward_refused_not_seller_fulfilled: () =>
        'el pedido lo gestiona el marketplace, cuya atención al cliente ya se ocupa de él.',
      forward_refused_not_enrolled: () =>
        'no estás inscrito en la atención al cliente gestionada, así que el contacto sigue siendo tuyo.',
    },
  },
  fr: {
    team: 'Service client',
    case: 'Dossier',
    refused: (r) =>
      `Nous ne pouvons pas traiter ce message pour le compte de l'acheteur : ${r}\n\nMerci de répondre à l'acheteur via la messagerie acheteurs-vendeurs.`,
    reasons: {
      forward_refused_home_country: (c) =>
        `cette adresse de transfert est réservée aux vendeurs établis dans ce pays : ${c}.`,
      forward_refused_unknown_order: () =>
        'nous n’avons trouvé aucune commande à vous portant ce numéro sur cette marketplace.',
      forward_refused_no_order: () => 'un message transféré doit indiquer la commande concernée.',
      forward_refused_not_seller_fulfilled: () =>
        'la commande est expédiée par la marketplace, dont le service client la prend déjà en charge.',
      forward_refused_not_enrolled: () =>
        'vous n’êtes pas inscrit au service client géré, le contact reste donc chez vous.',
    },
  },
  de: {
    team: 'Kundenservice',
    case: 'Fall',
    refused: (r) =>
      `Wir können diese Nachricht nicht im Namen des Käufers übernehmen: ${r}\n\nBitte antworten Sie dem Käufer über die Käufer-Verkäufer-Kommunikation.`,
    reasons: {
      forward_refused_home_country: (c) =>
        `diese Weiterleitungsadresse gilt nur für Verkäufer mit Sitzland ${c}.`,
      forward_refused_unknown_order: () =>
        'wir haben keine Bestellung von Ihnen mit dieser Nummer auf diesem Marktplatz gefunden.',
      forward_refused_no_order: () =>
        'eine weitergeleitete Nachricht muss die betreffende Bestellung nennen.',
      forward_refused_not_seller_fulfilled: () =>
        'die Bestellung wird vom Marktplatz versandt, dessen Kundenservice sie bereits betreut.',
      forward_refused_not_enrolled: () =>
        'Sie sind nicht für den verwalteten Kundenservice angemeldet, daher bleibt der Kontakt bei Ihnen.',
    },
  },
};
export const wordsFor = (language: string | undefined) => WORDS[language ?? 'en'] ?? WORDS.en!;

// The answer to a message whose attachments were not all kept: which, why, and how to send them.
type AttachmentWords = {
  intro: string;
  tooLarge: (max: string) => string;
  tooMany: (n: number) => string;
  howTo: (max: string, n: number) => string;
};
const ATTACHMENT_NOTICE: Record<string, AttachmentWords> = {
  en: {
    intro: 'We received your message, but could not keep these attachments:',
    tooLarge: (max) => `larger than ${max}`,
    tooMany: (n) => `more than ${n} attachments in one message`,
    howTo: (max, n) =>
      `To send them, reply to this e-mail with files of at most ${max} each (at most ${n} per message), for example by compressing or splitting large files.`,
  },
  it: {
    intro: 'Abbiamo ricevuto il tuo messaggio, ma non abbiamo potuto conservare questi allegati:',
    tooLarge: (max) => `più grande di ${max}`,
    tooMany: (n) => `oltre i ${n} allegati per messaggio`,
    howTo: (max, n) =>
      `Per inviarli, rispondi a questa e-mail con file di al massimo ${max} ciascuno (al massimo ${n} per messaggio), ad esempio comprimendo o dividendo i file più grandi.`,
  },
  es: {
    intro: 'Hemos recibido tu mensaje, pero no hemos podido conservar estos archivos adjuntos:',
    tooLarge: (max) => `de más de ${max}`,
    tooMany: (n) => `más de ${n} archivos adjuntos en un mensaje`,
    howTo: (max, n) =>
      `Para enviarlos, responde a este correo con archivos de ${max} como máximo cada uno (${n} por mensaje como máximo), por ejemplo comprimiendo o dividiendo los archivos grandes.`,
  },
  fr: {
    intro: "Nous avons bien reçu votre message, mais n'avons pas pu conserver ces pièces jointes :",
    tooLarge: (max) => `plus de ${max}`,
    tooMany: (n) => `au-delà de ${n} pièces jointes par message`,
    howTo: (max, n) =>
      `Pour nous les envoyer, répondez à cet e-mail avec des fichiers de ${max} maximum chacun (${n} par message au maximum), par exemple en compressant ou en découpant les fichiers volumineux.`,
  },
  de: {
    intro: 'Wir haben Ihre Nachricht erhalten, konnten diese Anhänge aber nicht speichern:',
    tooLarge: (max) => `größer als ${max}`,
    tooMany: (n) => `mehr als ${n} Anhänge in einer Nachricht`,
    howTo: (max, n) =>
      `Um sie zu senden, antworten Sie auf diese E-Mail mit Dateien von höchstens ${max} (höchstens ${n} pro Nachricht), zum Beispiel indem Sie große Dateien komprimieren oder aufteilen.`,
  },
};

/** Pure: the notice's text in the reader's language, sizes written as that language writes them. */
export function attachmentNoticeText(
  language: string | undefined,
  notKept: NotKeptAttachment[],
  limits: { maxAttachmentBytes: number; maxAttachments: number },
): string {
  const lang = language && language in ATTACHMENT_NOTICE ? language : 'en';
  const w = ATTACHMENT_NOTICE[lang]!;
  const size = (bytes: number) => {
    const mb = bytes >= 1_048_576;
    return new Intl.NumberFormat(lang, {
      style: 'unit',
      unit: mb ? 'megabyte' : 'kilobyte',
      maximumFractionDigits: mb ? 1 : 0,
    }).format(Math.max(bytes / (mb ? 1_048_576 : 1024), mb ? 0 : 1));
  };
  const max = size(limits.maxAttachmentBytes);
  const lines = notKept.map(
    (a) =>
      `- ${a.filename} (${size(a.sizeBytes)})${lang === 'fr' ? ' :' : ':'} ${a.reason === 'too_large' ? w.tooLarge(max) : w.tooMany(limits.maxAttachments)}`,
  );
  return [w.intro, '', ...lines, '', w.howTo(max, limits.maxAttachments)].join('\n');
}

/** A refusal's reason in words; a reason queued before reasons were codes is a sentence already. */
function refusalReason(words: Words, language: string, reason: string, country: string): string {
  const phrase = words.reasons[reason as RefusalReason];
  if (!phrase) return reason;
  return phrase(new Intl.DisplayNames([language], { type: 'region' }).of(country) ?? country);
}

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

    // The buyer asked for their chat's transcript: sent to the address the request named (their own).
    async send_chat_transcript(tx, payload) {
      const conversation = await findConversation(tx, String(payload.conversationId));
      if (!conversation) return;
      const marketplace = await findMarketplace(tx, conversation.marketplace_id);
      const messages = await messagesAfter(tx, conversation.id, 0, 5000);
      const mail = transcriptMail(
        conversation.language,
        { name: marketplace?.name ?? conversation.marketplace_id, timeZone: marketplace?.time_zone ?? 'UTC' },
        conversation.created_at,
        messages,
      );
      await mailer.send({
        from: settings.from,
        to: String(payload.to),
        subject: mail.subject,
        text: mail.text,
        messageId: newMessageId(settings.domain),
      });
    },

    async send_refusal_email(tx, payload) {
      const language = (await sellerLanguage(tx, String(payload.to))) ?? 'en';
      const words = wordsFor(language);
      const reason = refusalReason(
        words,
        language,
        String(payload.reason),
        String(payload.homeCountry ?? ''),
      );
      await mailer.send({
        from: settings.from,
        to: String(payload.to),
        subject: reSubject(String(payload.subject ?? '')),
        text: words.refused(reason),
        messageId: newMessageId(settings.domain),
        inReplyTo: String(payload.inReplyTo),
      });
    },

    async send_attachments_notice(tx, payload) {
      const c = payload.caseId ? await findCase(tx, String(payload.caseId)) : undefined;
      const language = c?.language ?? (await sellerLanguage(tx, String(payload.to)));
      const limits = {
        maxAttachmentBytes: Number(payload.maxAttachmentBytes),
        maxAttachments: Number(payload.maxAttachments),
      };
      await mailer.send({
        from: settings.from,
        to: String(payload.to),
        replyTo: String(payload.replyTo),
        subject: reSubject(String(payload.subject ?? '')),
        text: attachmentNoticeText(language, payload.attachments as NotKeptAttachment[], limits),
        messageId: newMessageId(settings.domain),
        inReplyTo: String(payload.inReplyTo),
        references: [String(payload.inReplyTo)],
      });
    },
  };
}

/** The first language of ours that a seller writing from this address speaks. */
async function sellerLanguage(db: Db, address: string): Promise<string | undefined> {
  const seller = (
    await sql<{
      languages: string[];
    }>`select languages from seller where lower(default_email) = lower(${address})`.execute(db)
  ).rows[0];
  return seller?.languages.find((l) => l in WORDS);
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
