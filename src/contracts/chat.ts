import { z } from 'zod';
import { externalId, languageCode } from './common';

// The buyer chat's frames over WebSocket (GET /api/v1/chat/socket), one JSON object per text frame,
// shared by the server, the web pages and the terminal chat.

/** Frames larger than this are refused with `frame_too_large` (the socket closes beyond 4×). */
export const MAX_FRAME_BYTES = 16 * 1024;
export const MAX_CHAT_TEXT = 4000;

const uuid = z.uuid();
const text = z.string().trim().min(1).max(MAX_CHAT_TEXT);
const clientMessageId = z.string().min(1).max(64);
/** Agents and supervisors name the conversation; a buyer's frames go to the conversation they are in. */
const conversationRef = { conversationId: uuid.optional() };
export const caseNumber = z.string().regex(/^[A-Z]{2,8}-\d{7}$/);
export const ratingSubjects = ['bot', 'agent'] as const;

export const clientFrame = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    /** The operator-signed buyer token (a browser cannot set headers on a WebSocket). */
    token: z.string().min(1).max(4096).optional(),
    conversationId: uuid.optional(),
    lastSeq: z.number().int().min(0).optional(),
  }),
  z.strictObject({
    type: z.literal('start'),
    marketplace: z.string().regex(/^[A-Z]{2,8}$/),
    language: languageCode,
    orderId: externalId.optional(),
    /** The product whose detail page the chat was opened from (K2): its questions are the likely subject. */
    productId: externalId.optional(),
    /** A case the buyer continues (C6): the hand-off goes to that case, not a new one. */
    caseNumber: caseNumber.optional(),
  }),
  z.strictObject({ type: z.literal('message'), clientMessageId, text, ...conversationRef }),
  z.strictObject({
    type: z.literal('button'),
    clientMessageId,
    buttonId: z.string().min(1).max(64),
    ...conversationRef,
  }),
  z.strictObject({ type: z.literal('typing'), ...conversationRef }),
  z.strictObject({ type: z.literal('handoff'), ...conversationRef }),
  /** The buyer rates the help (C7); without `subject`, the person who answered, else the bot. */
  z.strictObject({
    type: z.literal('rate'),
    ...conversationRef,
    stars: z.number().int().min(1).max(5),
    solved: z.boolean(),
    comment: z.string().trim().max(2000).optional(),
    subject: z.enum(ratingSubjects).optional(),
  }),
  /** A supervisor watching a chat takes it over: the case becomes theirs. */
  z.strictObject({ type: z.literal('take_over'), conversationId: uuid }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;
export const clientFrameTypes = clientFrame.options.map((o) => o.shape.type.value);

export const chatAuthors = ['buyer', 'bot', 'agent', 'system'] as const;
export const chatButton = z.object({ id: z.string(), label: z.string() });
export type ChatButton = z.infer<typeof chatButton>;

export const conversationSummary = z.object({
  id: uuid,
  marketplace: z.string(),
  language: z.string(),
  owner: z.enum(['bot', 'agent']),
  caseNumber: z.string().nullable(),
  lastSeq: z.number().int(),
});

/** What an agent or supervisor sees on joining a chat: the case, the order, the bot's reading (C4, K2). */
export const chatContext = z.object({
  case: z
    .object({ caseNumber: z.string(), status: z.string(), queue: z.string(), channel: z.string() })
    .nullable(),
  order: z
    .object({
      externalId: z.string(),
      orderedAt: z.string(),
      fulfilmentChannel: z.string(),
      total: z.object({ amount: z.number().int(), currency: z.string() }),
      promisedDeliveryDate: z.string().nullable(),
      lines: z.array(z.object({ title: z.string().nullable(), units: z.number().int() })),
      shipments: z.array(
        z.object({
          carrier: z.string(),
          trackingNumber: z.string().nullable(),
          lastEvent: z.object({ code: z.string(), at: z.string() }).nullable(),
        }),
      ),
    })
    .nullable(),
  /** The bot's reading of the buyer's last words, when the bot had one. */
  reading: z.object({ intent: z.string(), confidence: z.number(), text: z.string() }).nullable(),
});
export type ChatContext = z.infer<typeof chatContext>;

export const chatErrorCodes = [
  'malformed_frame',
  'unknown_frame',
  'frame_too_large',
  'validation_failed',
  'invalid_text',
  'rate_limited',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'internal',
] as const;
export type ChatErrorCode = (typeof chatErrorCodes)[number];

export const serverFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    role: z.enum(['buyer', 'agent', 'supervisor']),
    /** A buyer's resumed conversation, an agent's live chats, the one a supervisor watches. */
    conversations: z.array(conversationSummary),
  }),
  /** This socket now follows a conversation (started, resumed, assigned, watched); staff get its context. */
  z.object({
    type: z.literal('joined'),
    conversation: conversationSummary,
    context: chatContext.optional(),
  }),
  /** A rating is due (C7): after the bot has helped, and after a person has. */
  z.object({
    type: z.literal('rating_request'),
    conversationId: uuid,
    subject: z.enum(ratingSubjects),
    agentName: z.string().nullable(),
  }),
  /** A rating was stored; rating the same again replaces it (the latest counts). */
  z.object({ type: z.literal('rated'), conversationId: uuid, subject: z.enum(ratingSubjects) }),
  /** To a person: the chat is no longer theirs (taken over, reassigned, escalated, resolved); the socket stops following it. */
  z.object({
    type: z.literal('released'),
    conversationId: uuid,
    reason: z.enum(['taken_over', 'reassigned', 'escalated', 'resolved']),
    byName: z.string().nullable(),
  }),
  z.object({
    type: z.literal('message'),
    conversationId: uuid,
    seq: z.number().int().positive(),
    from: z.enum(chatAuthors),
    authorName: z.string().nullable(),
    text: z.string(),
    buttons: z.array(chatButton).optional(),
    caseNumber: z.string().nullable(),
    at: z.string(),
  }),
  z.object({
    type: z.literal('ack'),
    conversationId: uuid,
    clientMessageId: z.string(),
    seq: z.number().int().positive(),
  }),
  z.object({
    type: z.literal('typing'),
    conversationId: uuid,
    from: z.enum(chatAuthors),
    authorName: z.string().nullable(),
  }),
  z.object({ type: z.literal('error'), code: z.enum(chatErrorCodes), message: z.string() }),
  z.object({ type: z.literal('pong') }),
]);
export type ServerFrame = z.infer<typeof serverFrame>;

// ---- HTTP: the buyer's own conversations, for the Contact Us page ---------------------------------

export const buyerConversation = z.object({
  id: uuid,
  marketplace: z.string(),
  language: z.string(),
  startedAt: z.string(),
  lastMessageAt: z.string(),
  caseNumber: z.string().nullable(),
  caseStatus: z.string().nullable(),
  owner: z.enum(['bot', 'agent']),
});
export type BuyerConversation = z.infer<typeof buyerConversation>;

export const buyerConversationList = z.object({ conversations: z.array(buyerConversation) });

export const transcriptMessage = z.object({
  seq: z.number().int().positive(),
  from: z.enum(chatAuthors),
  authorName: z.string().nullable(),
  text: z.string(),
  at: z.string(),
});
export type TranscriptMessage = z.infer<typeof transcriptMessage>;

export const buyerConversationDetail = z.object({
  conversation: buyerConversation,
  messages: z.array(transcriptMessage),
});

export const transcriptEmailAccepted = z.object({ sentTo: z.string() });
