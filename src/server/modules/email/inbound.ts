// What an inbound e-mail becomes: a seller's answer to a case-log question, a buyer's message on
// a case (by signed reply address, Message-ID/References or a quoted case number), a new contact
// from a buyer, or a buyer message a seller forwards (R5). Anything else is refused with a reason.
import { sql } from 'kysely';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Db } from '../../platform/db';
import { systemKey } from '../../platform/idempotency';
import { tokenOf, verifyReplyToken } from '../../platform/reply-token';
import { scheduleTimer } from '../../platform/timers';
import { findInvalidText } from '../../platform/validation';
import { type BotModel, contactTopicOf, understand } from '../bot';
import { findCase, insertCaseEvent, receiveContact } from '../cases';
import { findBuyerByEmail, findSellerByEmail } from '../marketplace';
import type { ContactTopic } from '../routing';
import { answerRequest } from '../seller-inbox';

export type InboundSettings = {
  domain: string;
  replyTokenSecret: string;
  bot: BotModel;
  maxAttachmentBytes: number;
  maxAttachments: number;
};

/** A refusal the SMTP server reports to the sender with its code. */
export class MailRefused extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

export type InboundResult = {
  kind: 'case_log_answer' | 'case_message' | 'new_contact' | 'seller_forward' | 'duplicate';
  caseNumber?: string;
  detail?: string;
};

/** The new text of a reply, without the quoted message below it. */
export function stripQuoted(text: string): string {
  const lines = text.split(/\r?\n/);
  const cut = lines.findIndex((l) =>
    /^(>|On .+ wrote:|Il giorno .+ ha scritto:|.+ ha scritto:|El .+ escribió:|Le .+ a écrit ?:|Am .+ schrieb .+:|-----Original Message-----)/.test(
      l.trim(),
    ),
  );
  return (cut >= 0 ? lines.slice(0, cut) : lines).join('\n').trim();
}

const addressOf = (field: ParsedMail['from'] | ParsedMail['to']) => {
  const list = Array.isArray(field) ? field.flatMap((f) => f.value) : (field?.value ?? []);
  return list.map((a) => (a.address ?? '').toLowerCase()).filter(Boolean);
};

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw);
    if (!mail.from || addressOf(mail.from).length === 0) throw new Error('no sender');
  } catch (error) {
    throw new MailRefused(554, `Malformed message: ${(error as Error).message}`);
  }
  // The HTTP edge's rule for text, with a permanent refusal: a retry would bring the same bytes.
  const invalid = findInvalidText({
    subject: mail.subject,
    text: mail.text,
    from: mail.from.text,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType })),
  });
  if (invalid) throw new MailRefused(554, `Message refused: its ${invalid.path} ${invalid.message}`);
  return mail;
}

export async function recordRejection(
  db: Db,
  at: Date,
  from: string | null,
  to: string | null,
  reason: string,
) {
  await sql`insert into email_rejection (at, from_address, to_address, reason) values (${at}, ${from}, ${to}, ${reason})`.execute(
    db,
  );
}

/** Handles one parsed message for one of our recipient addresses, in the caller's transaction. */
export async function handleInbound(
  tx: Db,
  mail: ParsedMail,
  recipient: string,
  settings: InboundSettings,
  at: Date,
): Promise<InboundResult> {
  const from = addressOf(mail.from)[0]!;
  const messageId =
    mail.messageId ?? `<generated-${at.getTime()}-${Math.random().toString(36).slice(2)}@${settings.domain}>`;
  if ((await sql`select 1 from email_message where message_id = ${messageId}`.execute(tx)).rows.length > 0) {
    return { kind: 'duplicate' }; // the same message delivered twice is stored once
  }
  const text = stripQuoted(mail.text ?? '');
  const subject = mail.subject ?? '';
  const local = recipient.split('@')[0]!.toLowerCase();

  const token = tokenOf(recipient);
  if (token !== null) {
    const verified = verifyReplyToken(settings.replyTokenSecret, token);
    if (!verified) throw new MailRefused(550, 'Unknown or forged reply address');
    if (verified.kind === 'caselog') {
      const request = (
        await sql<{
          seller_id: string;
          case_id: string;
        }>`select seller_id, case_id from case_log_request where id = ${verified.id}::uuid`.execute(tx)
      ).rows[0];
      const seller = await findSellerByEmail(tx, from);
      if (!request || !seller || seller.id !== request.seller_id)
        throw new MailRefused(550, 'This reply address belongs to another sender');
      await answerRequest(tx, verified.id, seller.id, text, 'email', at);
      const envelope = { from, to: recipient, text, subject, messageId, at };
      await storeMessage(tx, mail, envelope, { caseId: request.case_id, requestId: verified.id }, settings);
      return { kind: 'case_log_answer' };
    }
    if (verified.kind === 'case')
      return buyerOnCase(
        tx,
        mail,
        verified.id,
        { from, to: recipient, text, subject, messageId, at },
        settings,
      );
    throw new MailRefused(550, 'Unknown reply address');
  }

  const forwarding = (
    await sql<{ seller_home_country: string; marketplace_id: string }>`
    select seller_home_country, marketplace_id from forwarding_address where local_part = ${local}`.execute(
      tx,
    )
  ).rows[0];
  if (forwarding)
    return sellerForward(
      tx,
      mail,
      forwarding,
      { from, to: recipient, text, subject, messageId, at },
      settings,
    );

  const support = /^support-([a-z]{2,8})$/.exec(local);
  if (support)
    return buyerToSupport(
      tx,
      mail,
      support[1]!.toUpperCase(),
      { from, to: recipient, text, subject, messageId, at },
      settings,
    );

  throw new MailRefused(550, `No such mailbox: ${recipient}`);
}

type Envelope = { from: string; to: string; text: string; subject: string; messageId: string; at: Date };

async function buyerOnCase(
  tx: Db,
  mail: ParsedMail,
  caseId: string,
  e: Envelope,
  settings: InboundSettings,
): Promise<InboundResult> {
  const c = await findCase(tx, caseId);
  const buyer = await findBuyerByEmail(tx, e.from);
  if (!c || !buyer || c.buyer_id !== buyer.id)
    throw new MailRefused(550, 'This reply address belongs to another sender');
  await receiveContact(tx, {
    idempotency: systemKey(`email:${e.messageId}`),
    marketplaceId: c.marketplace_id,
    channel: 'email',
    sender: 'buyer',
    buyerId: buyer.id,
    sellerId: null,
    orderRef: null,
    topic: c.topic as ContactTopic,
    language: c.language,
    body: e.text,
    caseNumber: c.case_number,
    at: e.at,
  });
  await storeMessage(tx, mail, e, { caseId: c.id, requestId: null }, settings);
  return { kind: 'case_message', caseNumber: c.case_number };
}

async function buyerToSupport(
  tx: Db,
  mail: ParsedMail,
  marketplaceId: string,
  e: Envelope,
  settings: InboundSettings,
): Promise<InboundResult> {
  const market = (
    await sql<{
      languages: string[];
      default_language: string;
      time_zone: string;
      currency: string;
      order_number_pattern: string | null;
    }>`
    select languages, default_language, time_zone, currency, order_number_pattern from marketplace where id = ${marketplaceId}`.execute(
      tx,
    )
  ).rows[0];
  if (!market) throw new MailRefused(550, `No such mailbox: ${e.to}`);
  const buyer = await findBuyerByEmail(tx, e.from);
  if (!buyer)
    throw new MailRefused(
      550,
      'We could not find an account for this sender; please write from the address of your account',
    );

  // A reply in an existing thread (References / In-Reply-To) or a quoted case number continues it.
  const refs = [
    mail.inReplyTo,
    ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []),
  ].filter(Boolean) as string[];
  const threaded = refs.length
    ? (
        await sql<{
          case_id: string;
        }>`select case_id from email_message where message_id = any(${refs}::text[]) and case_id is not null limit 1`.execute(
          tx,
        )
      ).rows[0]
    : undefined;
  const quoted = /\[([A-Z]{2,8}-\d{7})\]/.exec(e.subject)?.[1];
  const existing = threaded
    ? await findCase(tx, threaded.case_id)
    : quoted
      ? await findCase(tx, quoted)
      : undefined;
  if (existing && existing.buyer_id === buyer.id) return buyerOnCase(tx, mail, existing.id, e, settings);

  const understood = understand(settings.bot, `${e.subject}\n${e.text}`, {
    languages: market.languages,
    conversationLanguage: buyer.language,
    timeZone: market.time_zone,
    currency: market.currency,
    orderNumberPattern: market.order_number_pattern,
    now: e.at,
  });
  const result = await receiveContact(tx, {
    idempotency: systemKey(`email:${e.messageId}`),
    marketplaceId,
    channel: 'email',
    sender: 'buyer',
    buyerId: buyer.id,
    sellerId: null,
    orderRef: understood.entities.orderNumbers[0] ?? null,
    topic: contactTopicOf(understood.intent),
    language: understood.lang,
    body: e.text,
    caseNumber: null,
    at: e.at,
  });
  await storeMessage(tx, mail, e, { caseId: result.case?.id ?? null, requestId: null }, settings);
  return { kind: 'new_contact', caseNumber: result.case?.caseNumber, detail: result.reason };
}

async function sellerForward(
  tx: Db,
  mail: ParsedMail,
  forwarding: { seller_home_country: string; marketplace_id: string },
  e: Envelope,
  settings: InboundSettings,
): Promise<InboundResult> {
  const seller = await findSellerByEmail(tx, e.from);
  if (!seller)
    throw new MailRefused(
      550,
      'Only sellers may write to this forwarding address, from their default e-mail',
    );
  const orderNumber = /\b\d{3}-\d{7}-\d{7}\b/.exec(`${e.subject}\n${e.text}`)?.[0] ?? null;
  // The reason goes as a code: the refusal is written in the seller's language (outbound.ts).
  const refuse = async (reason: string) => {
    await scheduleTimer(tx, 'send_refusal_email', `refusal:${e.messageId}`, e.at, {
      to: e.from,
      subject: e.subject,
      reason,
      homeCountry: forwarding.seller_home_country,
      inReplyTo: e.messageId,
    });
    return { kind: 'seller_forward' as const, detail: reason };
  };
  if (seller.home_country !== forwarding.seller_home_country) {
    return refuse('forward_refused_home_country');
  }
  try {
    const result = await receiveContact(tx, {
      idempotency: systemKey(`email:${e.messageId}`),
      marketplaceId: forwarding.marketplace_id,
      channel: 'email',
      sender: 'seller',
      buyerId: null,
      sellerId: seller.id,
      orderRef: orderNumber,
      topic: 'other',
      language: null,
      body: e.text,
      caseNumber: null,
      at: e.at,
    });
    await storeMessage(tx, mail, e, { caseId: result.case?.id ?? null, requestId: null }, settings);
    if (result.handler === 'refused') return refuse(result.reason);
    return { kind: 'seller_forward', caseNumber: result.case?.caseNumber, detail: result.reason };
  } catch (error) {
    if ((error as { code?: string }).code === 'not_found') return refuse('forward_refused_unknown_order');
    throw error;
  }
}

async function storeMessage(
  tx: Db,
  mail: ParsedMail,
  e: Envelope,
  links: { caseId: string | null; requestId: string | null },
  settings: InboundSettings,
) {
  const r = await sql<{ id: string }>`
    insert into email_message (message_id, direction, case_id, case_log_request_id, from_address, to_address, subject, at)
    values (${e.messageId}, 'in', ${links.caseId}, ${links.requestId}, ${e.from}, ${e.to}, ${e.subject}, ${e.at}) returning id`.execute(
    tx,
  );
  const { kept, notKept } = sortAttachments(mail.attachments, settings);
  for (const a of kept) {
    await sql`insert into email_attachment (email_message_id, filename, content_type, size_bytes, content)
      values (${r.rows[0]!.id}, ${a.filename ?? 'attachment'}, ${a.contentType}, ${a.size}, ${a.content})`.execute(
      tx,
    );
  }
  if (notKept.length === 0) return;
  // Nothing is dropped in silence: the case says which files were not kept, and the sender is told how to send them.
  const limits = { maxAttachmentBytes: settings.maxAttachmentBytes, maxAttachments: settings.maxAttachments };
  if (links.caseId)
    await insertCaseEvent(tx, {
      caseId: links.caseId,
      kind: 'attachments_not_kept',
      actorKind: 'system',
      data: { messageId: e.messageId, attachments: notKept, ...limits },
      at: e.at,
    });
  await scheduleTimer(tx, 'send_attachments_notice', `attachments:${e.messageId}`, e.at, {
    to: e.from,
    replyTo: e.to,
    subject: e.subject,
    inReplyTo: e.messageId,
    caseId: links.caseId,
    attachments: notKept,
    ...limits,
  });
}

export type NotKeptAttachment = { filename: string; sizeBytes: number; reason: 'too_large' | 'too_many' };

/** Pure: the attachments kept (each within the size limit, at most so many) and the others, with why. */
export function sortAttachments<A extends { filename?: string; size: number }>(
  attachments: A[],
  limits: { maxAttachmentBytes: number; maxAttachments: number },
): { kept: A[]; notKept: NotKeptAttachment[] } {
  const kept: A[] = [];
  const notKept: NotKeptAttachment[] = [];
  for (const a of attachments) {
    const reason =
      a.size > limits.maxAttachmentBytes
        ? 'too_large'
        : kept.length >= limits.maxAttachments
          ? 'too_many'
          : null;
    if (reason) notKept.push({ filename: a.filename ?? 'attachment', sizeBytes: a.size, reason });
    else kept.push(a);
  }
  return { kept, notKept };
}
