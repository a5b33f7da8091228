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
  /** This socket now follows a conversation (started, resumed, assigned, watched). */
  z.object({ type: z.literal('joined'), conversation: conversationSummary }),
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
