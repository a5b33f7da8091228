// A contact arrives (chat, e-mail, phone, or a seller forwarding a buyer's message): route it, then
// open a case or continue the one the buyer quoted, and assign it. A new case is one statement; the
// other paths write several and run in the caller's transaction, or in their own.
import { randomUUID } from 'node:crypto';
import { type Db, inTransaction } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { checkReplay, type Idempotency } from '../../platform/idempotency';
import { contactStatusAt } from '../programs';
import { type ContactChannel, type ContactTopic, routeContact } from '../routing';
import { addMinutes, continuedBecause, nextStatus, queueName } from './case-rules';
import { assignLeastBusy, caseSummary, languageOfNewCase } from './case-work';
import {
  adjustOpenCases,
  findCase,
  findContactByKey,
  insertCaseEvent,
  insertContact,
  insertMessage,
  intakeReads,
  openCase,
  recordContact,
  slaTargets,
  updateCase,
} from './cases.repository';
import { slaTimers, syncSlaTimers } from './sla-timers';

export type ContactInput = {
  /** The caller's key for this contact (`callerKey`), or the service's own (`systemKey`). */
  idempotency: Idempotency | null;
  marketplaceId: string;
  channel: ContactChannel;
  sender: 'buyer' | 'seller';
  /** The buyer writing, when known (signed in, token, or matched e-mail / phone number). */
  buyerId: string | null;
  /** Set when a seller forwards: the seller must own the order. */
  sellerId: string | null;
  orderRef: string | null;
  topic: ContactTopic;
  language: string | null;
  body: string;
  caseNumber: string | null;
  /** How the case to continue was found: quoted by the buyer (the default), or by the caller's number. */
  caseFoundBy?: 'quoted' | 'caller_number';
  at: Date;
};

export type ContactResult = {
  contactId: string;
  handler: string;
  reason: string;
  explanation: string;
  case: Awaited<ReturnType<typeof caseSummary>> | null;
};

export async function receiveContact(db: Db, input: ContactInput): Promise<ContactResult> {
  const key = input.idempotency;
  if (input.caseNumber) return inTransaction(db, (tx) => continueCase(tx, input));

  // One round trip for every read: the routing decision below stays a pure function of what it returns.
  const { facts, periods, sla } = await intakeReads(db, input);
  if (!facts.marketplace_exists) throw notFound('Marketplace');
  const language = languageOfNewCase(input.language, facts);
  const order = facts.order ?? undefined;
  if (input.orderRef && !order) throw notFound('Order');
  if (order && input.buyerId && order.buyer_id !== input.buyerId) throw notFound('Order');
  if (order && input.sellerId && order.seller_id !== input.sellerId) throw notFound('Order');
  if (order && order.marketplace_id !== input.marketplaceId) {
    throw new AppError(
      'validation_failed',
      `Order ${order.external_id} belongs to marketplace ${order.marketplace_id}`,
      [
        {
          path: 'marketplace',
          code: 'marketplace_mismatch',
          message: `the order was placed on ${order.marketplace_id}`,
        },
      ],
    );
  }
  const status = order ? contactStatusAt(periods, input.at) : 'not_enrolled';
  const decision = routeContact(
    { channel: input.channel, topic: input.topic, sender: input.sender, at: input.at },
    order ? { fulfilmentChannel: order.fulfilment_channel } : null,
    status,
  );
  const base = {
    idempotency: key,
    marketplaceId: input.marketplaceId,
    channel: input.channel,
    sender: input.sender,
    buyerId: order?.buyer_id ?? input.buyerId,
    sellerId: order?.seller_id ?? input.sellerId,
    orderId: order?.id ?? null,
    topic: input.topic,
    handler: decision.handler,
    routingReason: decision.reason,
    explanation: decision.explanation,
    at: input.at,
  };
  const routed = { handler: decision.handler, reason: decision.reason, explanation: decision.explanation };
  if (decision.handler !== 'marketplace_cs') {
    // R2, R3: the seller answers through buyer–seller messaging, which a later module owns; the
    // contact and the timer that hands it over are one statement.
    const contactId = randomUUID();
    const timers =
      decision.handler === 'seller'
        ? [
            {
              kind: 'open_seller_thread',
              ref: contactId,
              dueAt: input.at,
              payload: { contactId, body: input.body },
            },
          ]
        : [];
    const recorded = await recordContact(db, { ...base, id: contactId, caseId: null }, timers);
    if (!recorded) return (await replayOf(db, key))!;
    return { contactId, ...routed, case: null };
  }

  // Intake is the hot path: the case is opened whole — agent booked, timers armed — in one statement.
  const premium = decision.queue === 'premium';
  const caseId = randomUUID();
  const firstResponseDue = addMinutes(input.at, sla.firstResponseMinutes);
  const opened = await openCase(db, {
    case: {
      id: caseId,
      marketplace_id: input.marketplaceId,
      seller_id: base.sellerId,
      buyer_id: base.buyerId,
      order_id: base.orderId,
      language,
      channel: input.channel,
      topic: input.topic,
      routing_reason: decision.reason,
      queue: queueName(input.marketplaceId, language, premium),
      status: 'new',
      first_response_due_at: firstResponseDue,
      opened_at: input.at,
      updated_at: input.at,
    },
    contact: base,
    message: { authorKind: 'buyer', channel: input.channel, body: input.body },
    events: [
      {
        kind: 'opened',
        actorKind: input.sender,
        data: { reason: decision.reason, explanation: decision.explanation, channel: input.channel },
      },
    ],
    agent: { marketplace: input.marketplaceId, language, premium, supervisors: false },
    timers: slaTimers(caseId, input.at, firstResponseDue, sla.warningPercent),
  });
  if (!opened) return (await replayOf(db, key))!; // the same request again: what it got the first time
  return {
    contactId: opened.contact_id,
    ...routed,
    case: {
      id: opened.id,
      caseNumber: opened.case_number,
      status: opened.status,
      owner: opened.owner_name === null ? null : { kind: 'agent', name: opened.owner_name },
    },
  };
}

/**
 * What a contact sent before with the same key was given, if there was one; the same key with
 * another request is refused. Only the replay path reads it, so a new contact costs no extra query.
 */
async function replayOf(db: Db, key: Idempotency | null): Promise<ContactResult | undefined> {
  const seen = key ? await findContactByKey(db, key) : undefined;
  if (!seen) return undefined;
  checkReplay(seen.idempotency_fingerprint, key!);
  const existing = seen.case_id ? await findCase(db, seen.case_id) : undefined;
  return {
    contactId: seen.id,
    handler: seen.handler,
    reason: seen.routing_reason,
    explanation: seen.explanation,
    case: existing ? await caseSummary(db, existing) : null,
  };
}

/** A buyer quoting the case number (or replying in its thread) continues the same case (C6). */
async function continueCase(tx: Db, input: ContactInput): Promise<ContactResult> {
  const found = await findCase(tx, input.caseNumber!, true);
  if (!found || (input.buyerId && found.buyer_id !== input.buyerId)) throw notFound('Case');
  // The contact first: the case is locked, so the same request sent twice at once waits here and
  // then finds its key taken.
  const explanation = continuedBecause(found.case_number, input.caseFoundBy ?? 'quoted');
  const contactId = await insertContact(tx, {
    idempotency: input.idempotency,
    caseId: found.id,
    marketplaceId: found.marketplace_id,
    channel: input.channel,
    sender: 'buyer',
    buyerId: found.buyer_id,
    sellerId: found.seller_id,
    orderId: found.order_id,
    topic: found.topic,
    handler: 'marketplace_cs',
    routingReason: 'continued_case',
    explanation,
    at: input.at,
  });
  if (!contactId) return (await replayOf(tx, input.idempotency))!;
  const status = nextStatus(found.status, 'buyer_wrote')!;
  if (status === 'reopened') await adjustOpenCases(tx, found.owner_user_id, 1);
  const sla = await slaTargets(tx, found.marketplace_id, input.channel, input.at);
  let updated = await updateCase(tx, found.id, {
    status,
    next_response_due_at: addMinutes(input.at, sla.nextResponseMinutes),
    sla_paused_remaining_ms: null,
    updated_at: input.at,
    ...(status === 'reopened' ? { resolved_at: null } : {}),
  });
  await insertMessage(tx, {
    caseId: found.id,
    authorKind: 'buyer',
    channel: input.channel,
    body: input.body,
    at: input.at,
  });
  await insertCaseEvent(tx, {
    caseId: found.id,
    kind: status === 'reopened' ? 'reopened' : 'buyer_wrote',
    actorKind: 'buyer',
    at: input.at,
  });
  if (updated.owner_kind === 'unassigned') updated = await assignLeastBusy(tx, updated, input.at);
  await syncSlaTimers(tx, updated, input.at);
  return {
    contactId,
    handler: 'marketplace_cs',
    reason: 'continued_case',
    explanation,
    case: await caseSummary(tx, updated),
  };
}
