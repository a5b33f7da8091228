// GET /api/v1/chat/socket: the buyer chat, and agents and supervisors over the same frames
// (src/contracts/chat.ts). A frame is handled only after the previous one, and a buyer's message is
// committed before it is acknowledged; what others write arrives through the hub, read from the table.
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import {
  type ChatButton,
  type ChatContext,
  type ChatErrorCode,
  type ClientFrame,
  chatErrorCodes,
  clientFrame,
  clientFrameTypes,
  MAX_FRAME_BYTES,
  type ServerFrame,
} from '../../../contracts/chat';
import { sameMachineOrigins } from '../../platform/config';
import { type Db, inTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { buyerIdOf, type Principal } from '../../platform/http/access';
import type { App } from '../../platform/http/server';
import type { Logger } from '../../platform/log';
import { findInvalidText } from '../../platform/validation';
import { displayNameOf } from '../identity';
import { contactFacts, findProductPage } from '../marketplace';
import type { ChatHub, Follower } from './chat-hub';
import { type NoticeBatch, noticeBatch } from './chat-notices';
import { botHelped, ratingRefusal, ratingSubject } from './chat-rating';
import {
  type AppendOptions,
  appendMessage,
  appendMessages,
  botHasWritten,
  botRatingPending,
  type ChatMessageRow,
  type ConversationRow,
  caseNumberOf,
  conversationForMessage,
  dialoguePhase,
  findConversation,
  insertConversation,
  lastOfferedButtons,
  lastPersonWhoWrote,
  markBotRatingRequested,
  messagesAfter,
  notifyChat,
  setConversationOwner,
  upsertRating,
} from './conversations.repository';

/**
 * A bot message; `handOff` asks for a person once the replies are stored (the transcript has them),
 * about the order the bot was helping with, if any.
 */
export type BotReply = {
  text: string;
  buttons?: ChatButton[];
  handOff?: { orderRef: string | null; escalate?: boolean; via?: HandOffVia };
};
/** How the person answers: in the chat, or — the buyer's choice when no agent was free — by e-mail or phone. */
export type HandOffVia = 'chat' | 'email' | 'callback';
export type HandOffRequest = { orderRef?: string | null; escalate?: boolean; via?: HandOffVia };
export type BuyerMessage = { seq: number; text: string; buttonId: string | null; at: Date };

/**
 * What the bot says to one message, and its dialogue's state after it, which the socket stores with the
 * replies in one statement; the state's phase tells whether the bot has helped (the rating, C7).
 */
export type BotTurn = { replies: BotReply[]; dialogue?: { json: string; phase: string | null } };

/**
 * The bot's side of the chat, called only while the bot owns the conversation. The dialogue plugs in here.
 * `onBuyerMessage` is first called with `read`: outside any transaction, the bot may only read, and
 * answers null when the message needs it to act on data; the socket then calls it again with `write`
 * in the transaction that locks the conversation and stores the message (its effects are stored in it).
 */
export type ChatBot = {
  greet(tx: Db, conversation: ConversationRow): Promise<BotTurn>;
  onBuyerMessage(
    db: Db,
    conversation: ConversationRow,
    message: BuyerMessage,
    mode: 'read' | 'write',
  ): Promise<BotTurn | null>;
  /** The headset button: what the bot knows that the hand-off needs (the order being talked about). */
  handOffRequest?(db: Db, conversation: ConversationRow): Promise<HandOffRequest>;
  /** What the bot keeps in memory listens for changes (the app starts it with its LISTEN connection). */
  listen?(databaseUrl: string, log: Logger): { ready(): Promise<void>; close(): Promise<void> };
};
export const silentBot: ChatBot = {
  greet: async () => ({ replies: [] }),
  onBuyerMessage: async () => ({ replies: [] }),
};

/** What the chat needs of cases, a higher module (src/server/modules/cases/chat.ts provides it). */
export type ChatCases = {
  /**
   * A person is needed: open or continue the conversation's case and hand the conversation to its owner;
   * with no agent of the language available, offer e-mail or a callback (buttons `handoff:…`) instead.
   */
  handOff(db: Db, conversation: ConversationRow, at: Date, request?: HandOffRequest): Promise<void>;
  /** A supervisor takes the chat over: the case becomes theirs, the previous person is told. */
  takeOver(db: Db, conversation: ConversationRow, supervisorUserId: string, at: Date): Promise<void>;
  /** The live chats (with a person) of the open cases the agent or supervisor owns. */
  liveChatsOf(db: Db, userId: string): Promise<ConversationRow[]>;
  mayAnswer(db: Db, userId: string, conversation: ConversationRow): Promise<boolean>;
  /** What a person sees on joining: the case, the order, the bot's reading. */
  contextOf(db: Db, conversation: ConversationRow): Promise<ChatContext>;
  /** A buyer's case number of this marketplace, to continue it from a new chat; null when not theirs. */
  caseOfBuyer(db: Db, caseNumber: string, buyerId: string, marketplaceId: string): Promise<string | null>;
  /** A rating was stored: the case, if any, records it. */
  rated(
    db: Db,
    conversation: ConversationRow,
    rating: { subject: 'bot' | 'agent'; ratedUserId: string | null; stars: number; solved: boolean },
    at: Date,
  ): Promise<void>;
};

/** The hand-off's own buttons (no agent was free): answered here, never by the bot. */
const OFFER_BUTTON = /^handoff:(email|callback)$/;
/** The dialogue's own e-mail / callback buttons: the hand-off it asks for is carried out that way. */
const DIALOGUE_CONTACT_BUTTON = /^contact:(email|callback)$/;

export type ChatSocketOptions = {
  hub: ChatHub;
  publicUrl: string;
  authenticate: (request: FastifyRequest) => Promise<Principal | null>;
  authenticateToken: (token: string) => Promise<Principal | null>;
  framesPer10Seconds: number;
  connectionsPerAddress: number;
  bot: ChatBot;
  cases: ChatCases;
  clock?: () => Date;
};

type Role = 'buyer' | 'agent' | 'supervisor';

class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function chatSocketRoutes(app: App, db: Db, options: ChatSocketOptions) {
  const clock = options.clock ?? (() => new Date());
  const connectionsByAddress = new Map<string, number>();
  // Widget sites per marketplace will be added here; until then only the service's own pages.
  const allowedOrigins = (_request: FastifyRequest) => sameMachineOrigins(options.publicUrl);
  const notices = noticeBatch(db, app.log);
  const slots = frameSlots(FRAMES_IN_FLIGHT);
  app.addHook('onClose', () => notices.flush());

  app.get(
    '/api/v1/chat/socket',
    {
      websocket: true,
      // The socket authenticates itself: a session cookie at the upgrade, or a buyer token in `hello`.
      config: { access: 'public' },
      schema: {
        tags: ['chat'],
        summary: 'The buyer chat over WebSocket (frames in src/contracts/chat.ts)',
      },
      // Browsers always send Origin: another site's page may not open a chat in the buyer's name.
      onRequest: async (request) => {
        const origin = request.headers.origin;
        if (origin && !allowedOrigins(request).includes(origin))
          throw new AppError('forbidden', `Origin ${origin} may not open the chat`);
      },
    },
    (socket, request) => {
      const address = request.ip;
      const open = (connectionsByAddress.get(address) ?? 0) + 1;
      connectionsByAddress.set(address, open);
      socket.on('close', () => {
        const left = (connectionsByAddress.get(address) ?? 1) - 1;
        if (left <= 0) connectionsByAddress.delete(address);
        else connectionsByAddress.set(address, left);
      });
      if (open > options.connectionsPerAddress) {
        send(socket, {
          type: 'error',
          code: 'rate_limited',
          message: 'Too many chat connections from your address',
        });
        socket.close(1008, 'rate_limited');
        return;
      }
      chatConnection(socket, request, db, { ...options, notices, slots }, clock);
    },
  );
}

function send(socket: WebSocket, frame: ServerFrame) {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/**
 * Frames handled at once by the whole instance: beyond the pool's connections more would only wait for
 * one while holding what they have read and computed; the others wait holding only their frame.
 */
const FRAMES_IN_FLIGHT = 32;

type FrameSlots = { run<T>(work: () => Promise<T>): Promise<T> };

function frameSlots(size: number): FrameSlots {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else free++;
      }
    },
  };
}

/**
 * Frames read from a socket and not yet handled: past this many the socket is not read further until
 * one is done (its frames wait in TCP's buffers, not in the server's memory).
 */
const MAX_PENDING_FRAMES = 2;

function chatConnection(
  socket: WebSocket,
  request: FastifyRequest,
  db: Db,
  options: ChatSocketOptions & { notices: NoticeBatch; slots: FrameSlots },
  clock: () => Date,
) {
  const origin = randomUUID();
  let principal: Principal | null = null;
  let role: Role | null = null;
  let userId: string | null = null;
  let name: string | null = null;
  /** Conversation → the last number this socket was sent. */
  const followed = new Map<string, number>();
  let current: string | null = null;
  const recentFrames: number[] = [];
  /** Conversation → its row after this socket's last unlocked write (writeWithoutLock). */
  const lastWritten = new Map<string, Awaited<ReturnType<typeof conversationForMessage>> & {}>();
  let pending = 0;
  let closed = false;

  // Frames and deliveries run one after the other, so acks and messages leave in order.
  let chain: Promise<void> = Promise.resolve();
  const run = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error) => {
      if (error instanceof ChatError) return fail(error.code, error.message);
      if (error instanceof AppError && (chatErrorCodes as readonly string[]).includes(error.code))
        return fail(error.code as ChatErrorCode, error.message);
      request.log.error({ err: error }, 'chat frame failed');
      fail('internal', 'Something went wrong on our side; it has been logged');
    });
  };
  const fail = (code: ChatErrorCode, message: string) => send(socket, { type: 'error', code, message });
  const refuse = (code: ChatErrorCode, message: string) => {
    fail(code, message);
    socket.close(1008, code);
  };

  const follower: Follower = {
    get userId() {
      return userId;
    },
    follows: (id) => followed.has(id),
    // A notice of what this socket already has (it sent its own writes from memory) needs no read.
    catchUp: (id, seq) => {
      if (id !== undefined && seq !== undefined && (followed.get(id) ?? Number.POSITIVE_INFINITY) >= seq)
        return;
      run(() => deliver(id));
    },
    follow: (id) =>
      run(async () => {
        const conversation = await findConversation(db, id);
        if (!conversation || followed.has(id) || (role !== 'agent' && role !== 'supervisor')) return;
        if (!(await options.cases.mayAnswer(db, userId!, conversation))) return;
        followed.set(id, 0);
        await staffJoined(conversation);
        await deliver(id);
      }),
    typing: (notice) => {
      if (notice.o !== origin)
        send(socket, { type: 'typing', conversationId: notice.c, from: notice.t, authorName: notice.n });
    },
    released: (notice) =>
      run(async () => {
        if (!followed.has(notice.c)) return;
        await deliver(notice.c); // what was written up to the change, then the notice
        followed.delete(notice.c);
        send(socket, { type: 'released', conversationId: notice.c, reason: notice.w, byName: notice.n });
      }),
  };

  /** A person's socket follows a chat: its summary and its context (case, order, the bot's reading). */
  async function staffJoined(conversation: ConversationRow) {
    send(socket, {
      type: 'joined',
      conversation: await summary(db, conversation),
      context: await options.cases.contextOf(db, conversation),
    });
  }

  async function deliver(only?: string) {
    for (const id of only ? [only] : [...followed.keys()]) {
      for (;;) {
        const rows = await messagesAfter(db, id, followed.get(id) ?? 0);
        await sendRows(id, rows);
        if (rows.length < 200) break;
      }
    }
  }

  async function sendRows(id: string, rows: ChatMessageRow[]) {
    for (const row of rows) {
      send(socket, messageFrame(row));
      // A prompt to rate a person (C7): the buyer's client shows the rating.
      if (row.rating_subject && role === 'buyer')
        send(socket, {
          type: 'rating_request',
          conversationId: id,
          subject: row.rating_subject,
          agentName: row.rating_user_id
            ? firstName((await displayNameOf(db, row.rating_user_id)) ?? '')
            : null,
        });
    }
    if (rows.length > 0) followed.set(id, rows.at(-1)!.seq);
  }

  /**
   * What this socket's own frame stored, sent from memory when it follows on from what the socket has;
   * with a gap (another writer came between) or more written by others in the transaction (a hand-off's
   * notices), read from the table as a notice would.
   */
  async function deliverOwn(id: string, rows: ChatMessageRow[], complete: boolean) {
    const follows = rows.length > 0 && rows[0]!.seq === (followed.get(id) ?? 0) + 1;
    if (follows) await sendRows(id, rows);
    if (!follows || !complete) await deliver(id);
  }

  // The session cookie (or a bearer header, for non-browser clients) is read at the upgrade.
  run(async () => {
    principal = await options.authenticate(request).catch(() => null);
    if (principal && !roleOf(principal))
      refuse('forbidden', 'Only buyers, agents and supervisors use the chat');
  });

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const now = Date.now();
    while (recentFrames.length > 0 && recentFrames[0]! <= now - 10_000) recentFrames.shift();
    if (recentFrames.length >= options.framesPer10Seconds)
      return fail('rate_limited', 'Too many frames; wait a few seconds');
    recentFrames.push(now);
    if (++pending >= MAX_PENDING_FRAMES) socket.pause();
    run(async () => {
      try {
        await options.slots.run(() => handle(data, isBinary));
      } finally {
        if (--pending < MAX_PENDING_FRAMES) socket.resume();
      }
    });
  });
  socket.on('close', () => {
    closed = true;
    options.hub.remove(follower);
  });

  async function handle(data: RawData, isBinary: boolean) {
    if (closed) return;
    const frame = parseFrame(data, isBinary);
    if (frame.type === 'ping') return send(socket, { type: 'pong' });
    if (frame.type === 'hello') return hello(frame);
    if (!role) throw new ChatError('unauthenticated', 'Send hello first');
    const at = clock();
    switch (frame.type) {
      case 'start':
        return start(frame, at);
      case 'message':
      case 'button':
        return role === 'buyer' ? buyerWrites(frame, at) : agentWrites(frame, at);
      case 'typing': {
        const conversation = await target(frame.conversationId);
        // A supervisor who only watches is not shown typing: the buyer would think someone answers.
        if (role !== 'buyer' && !(await options.cases.mayAnswer(db, userId!, conversation)))
          throw new ChatError('forbidden', 'Only the person who owns the chat is shown typing');
        const from = role === 'buyer' ? 'buyer' : 'agent';
        return notifyChat(db, { c: conversation.id, t: from, n: role === 'buyer' ? null : name, o: origin });
      }
      case 'handoff': {
        if (role !== 'buyer') throw new ChatError('forbidden', 'Only the buyer asks for a person');
        const conversation = await target(frame.conversationId);
        if (conversation.owner_kind === 'agent') return; // already with a person
        return options.cases.handOff(
          db,
          conversation,
          at,
          await options.bot.handOffRequest?.(db, conversation),
        );
      }
      case 'rate':
        return rate(frame, at);
      case 'take_over':
        return takeOver(frame.conversationId, at);
    }
  }

  async function rate(frame: Extract<ClientFrame, { type: 'rate' }>, at: Date) {
    if (role !== 'buyer') throw new ChatError('forbidden', 'Only the buyer rates');
    const conversation = await target(frame.conversationId);
    const subject = await inTransaction(db, async (tx) => {
      const person = await lastPersonWhoWrote(tx, conversation.id);
      const decided = ratingSubject({
        named: frame.subject ?? null,
        personWrote: person !== undefined,
        botWrote: await botHasWritten(tx, conversation.id),
      });
      if (decided.subject === null) throw new ChatError('conflict', ratingRefusal[decided.reason]);
      const wanted = decided.subject;
      const ratedUserId = wanted === 'agent' ? person!.userId : null;
      await upsertRating(tx, {
        conversationId: conversation.id,
        caseId: conversation.case_id,
        subject: wanted,
        ratedUserId,
        stars: frame.stars,
        solved: frame.solved,
        comment: frame.comment || null,
        at,
      });
      await options.cases.rated(
        tx,
        conversation,
        { subject: wanted, ratedUserId, stars: frame.stars, solved: frame.solved },
        at,
      );
      return wanted;
    });
    send(socket, { type: 'rated', conversationId: conversation.id, subject });
  }

  async function takeOver(conversationId: string, at: Date) {
    if (role !== 'supervisor') throw new ChatError('forbidden', 'Only a supervisor takes a chat over');
    // A supervisor may watch any chat, so may take over any, followed by this socket or not.
    const conversation = await findConversation(db, conversationId);
    if (!conversation) throw new ChatError('not_found', 'Conversation not found');
    await options.cases.takeOver(db, conversation, userId!, at);
    if (!followed.has(conversationId)) followed.set(conversationId, conversation.last_seq);
    await staffJoined((await findConversation(db, conversationId))!);
    await deliver(conversationId);
  }

  async function hello(frame: Extract<ClientFrame, { type: 'hello' }>) {
    if (role) throw new ChatError('validation_failed', 'This socket has already said hello');
    if (frame.token) {
      principal = await options.authenticateToken(frame.token).catch(() => null);
      if (!principal) return refuse('unauthenticated', 'The buyer token is not valid');
    }
    if (!principal) return refuse('unauthenticated', 'Sign in, or send a buyer token in hello');
    role = roleOf(principal);
    if (!role) return refuse('forbidden', 'Only buyers, agents and supervisors use the chat');
    if (principal.kind === 'user') {
      userId = principal.userId;
      if (role !== 'buyer') name = firstName((await displayNameOf(db, userId)) ?? '');
    }
    let conversations: ConversationRow[] = [];
    let missing = false;
    if (role === 'agent' || role === 'supervisor')
      conversations = await options.cases.liveChatsOf(db, userId!);
    if (frame.conversationId) {
      const wanted = await findConversation(db, frame.conversationId);
      const mine =
        wanted &&
        (role === 'supervisor' ||
          (role === 'buyer' && wanted.buyer_id === buyerIdOf(principal)) ||
          conversations.some((c) => c.id === wanted.id));
      if (mine && !conversations.some((c) => c.id === wanted.id)) conversations.push(wanted);
      if (!mine) missing = true;
    }
    for (const c of conversations)
      followed.set(c.id, c.id === frame.conversationId ? Math.min(frame.lastSeq ?? 0, c.last_seq) : 0);
    if (role === 'buyer' && !missing && frame.conversationId) current = frame.conversationId;
    options.hub.add(follower);
    send(socket, {
      type: 'welcome',
      role,
      conversations: await Promise.all(conversations.map((c) => summary(db, c))),
    });
    // The same answer for another buyer's conversation as for none at all.
    if (missing) fail('not_found', 'Conversation not found');
    if (role !== 'buyer') for (const c of conversations) await staffJoined(c);
    await deliver();
    // A prompt sent live only: a buyer who left before rating the bot is asked again on coming back.
    if (current && (await botRatingPending(db, current)))
      send(socket, { type: 'rating_request', conversationId: current, subject: 'bot', agentName: null });
  }

  async function start(frame: Extract<ClientFrame, { type: 'start' }>, at: Date) {
    const buyerId = role === 'buyer' ? buyerIdOf(principal!) : null;
    if (!buyerId) throw new ChatError('forbidden', 'Only a buyer starts a conversation');
    const facts = await contactFacts(db, frame.marketplace, frame.orderId ?? null, buyerId);
    if (!facts.marketplace_exists) throw new ChatError('not_found', 'Marketplace not found');
    const order = facts.order;
    if (frame.orderId && (!order || order.buyer_id !== buyerId || order.marketplace_id !== frame.marketplace))
      throw new ChatError('not_found', 'Order not found');
    if (facts.languages && !facts.languages.includes(frame.language))
      throw new ChatError('validation_failed', `The marketplace speaks ${facts.languages.join(', ')}`);
    const caseId = frame.caseNumber
      ? await options.cases.caseOfBuyer(db, frame.caseNumber, buyerId, frame.marketplace)
      : null;
    if (frame.caseNumber && !caseId) throw new ChatError('not_found', 'Case not found');
    const product = frame.productId
      ? await findProductPage(db, frame.productId, frame.marketplace, frame.language, { kind: 'all' })
      : null;
    if (frame.productId && !product) throw new ChatError('not_found', 'Product not found');
    const { conversation, greeting } = await inTransaction(db, async (tx) => {
      const created = await insertConversation(tx, {
        marketplaceId: frame.marketplace,
        buyerId,
        orderId: order?.id ?? null,
        productId: product?.product_id ?? null,
        language: frame.language,
        at,
      });
      // A case the buyer continues: the hand-off goes to it (C6); the bot greets as usual meanwhile.
      if (caseId) {
        await setConversationOwner(tx, created.id, { kind: 'bot', userId: null, caseId, at });
        created.case_id = caseId;
      }
      // Announced after the commit, as a buyer's message is (buyerWrites). The row is this transaction's
      // own, seen by nobody else yet: no lock to take.
      const greeting = await storeBotReplies(
        tx,
        created.id,
        await options.bot.greet(tx, created),
        at,
        options.cases,
        {
          locked: true,
          announce: false,
        },
      );
      return { conversation: created, greeting };
    });
    followed.set(conversation.id, 0);
    current = conversation.id;
    // A new conversation has no case number unless it continues a case.
    send(socket, {
      type: 'joined',
      conversation: await summary(db, conversation, caseId ? undefined : null),
    });
    await deliverOwn(conversation.id, greeting.rows, !greeting.handedOff);
    if (greeting.rows.length > 0) options.notices.announce(conversation.id, greeting.rows.at(-1)!.seq);
  }

  async function buyerWrites(frame: Extract<ClientFrame, { type: 'message' | 'button' }>, at: Date) {
    const id = followedId(frame.conversationId);
    // Most messages: the bot answers from what it reads, stored in one statement checked against the
    // version read. Anything else (an effect on data, a hand-off, a person owning the chat, someone
    // writing in between) goes the locked way.
    const written = (await writeWithoutLock(id, frame, at)) ?? (await writeLocked(id, frame, at));
    send(socket, {
      type: 'ack',
      conversationId: id,
      clientMessageId: frame.clientMessageId,
      seq: written.seq,
    });
    if (written.rows.length === 0) return;
    await deliverOwn(id, written.rows, written.complete); // the bot's answer first, then the prompt
    if (written.askBotRating)
      send(socket, { type: 'rating_request', conversationId: id, subject: 'bot', agentName: null });
    // Other sockets (another tab, a supervisor watching, another instance) read it through the hub.
    options.notices.announce(id, written.rows.at(-1)!.seq);
  }

  type Written = { seq: number; rows: ChatMessageRow[]; complete: boolean; askBotRating: boolean };

  /** The buyer's message and the bot's answer in one statement, or null: store it the locked way. */
  async function writeWithoutLock(
    id: string,
    frame: Extract<ClientFrame, { type: 'message' | 'button' }>,
    at: Date,
  ): Promise<Written | null> {
    // The row as this socket's last write left it, if it wrote last; the write checks the version, so a
    // row changed since (anyone else's write) only costs a try, and a copy of a frame is refused by the
    // unique index: both then go the locked way.
    const remembered = lastWritten.get(id);
    lastWritten.delete(id);
    const conversation = remembered ?? (await conversationForMessage(db, id, frame.clientMessageId));
    if (!conversation) throw new ChatError('not_found', 'Conversation not found');
    if (conversation.replay_seq !== null)
      return { seq: conversation.replay_seq, rows: [], complete: true, askBotRating: false };
    // With a person the buyer's message is stored alone, the locked way. (An offer of e-mail or a
    // callback waiting is no reason: only pressing one of its buttons is, below.)
    if (conversation.owner_kind !== 'bot') return null;
    let text = frame.type === 'message' ? frame.text : '';
    const buttonId = frame.type === 'button' ? frame.buttonId : null;
    if (buttonId) {
      const pressed = (conversation.offered ?? []).find((b) => b.id === buttonId);
      if (!pressed || OFFER_BUTTON.test(buttonId) || DIALOGUE_CONTACT_BUTTON.test(buttonId)) return null;
      text = pressed.label;
    }
    const seq = conversation.last_seq + 1;
    const turn = await options.bot.onBuyerMessage(db, conversation, { seq, text, buttonId, at }, 'read');
    if (!turn || turn.replies.some((r) => r.handOff)) return null;
    // Once the bot has helped, the buyer may rate it (C7), asked once per conversation.
    const askBotRating =
      conversation.bot_rating_requested_at === null &&
      botHelped(turn.dialogue ? turn.dialogue.phase : phaseOf(conversation.dialogue));
    try {
      const stored = await appendMessages(
        db,
        id,
        [
          { authorKind: 'buyer', body: text, buttonId, clientMessageId: frame.clientMessageId },
          ...turn.replies.map((r) => ({ authorKind: 'bot' as const, body: r.text, buttons: r.buttons })),
        ],
        at,
        {
          announce: false,
          expectVersion: conversation.version,
          dialogue: turn.dialogue?.json,
          botRatingRequested: askBotRating,
        },
      );
      if (stored.conflict) return null;
      const offered = stored.rows.findLast((r) => r.buttons)?.buttons ?? conversation.offered;
      lastWritten.set(id, {
        ...conversation,
        // What the statement wrote; the version trigger bumped the version once.
        version: conversation.version + 1,
        last_seq: stored.rows.at(-1)!.seq,
        dialogue: turn.dialogue ? JSON.parse(turn.dialogue.json) : conversation.dialogue,
        bot_rating_requested_at: askBotRating ? at : conversation.bot_rating_requested_at,
        updated_at: at,
        offered,
      });
      return { seq: stored.rows[0]!.seq, rows: stored.rows, complete: true, askBotRating };
    } catch (error) {
      // A copy of this frame stored meanwhile by another socket: the locked way answers with its number.
      if ((error as { code?: string }).code === '23505') return null;
      throw error;
    }
  }

  /** The conversation locked while the bot answers and acts, everything in one transaction. */
  async function writeLocked(
    id: string,
    frame: Extract<ClientFrame, { type: 'message' | 'button' }>,
    at: Date,
  ): Promise<Written> {
    return inTransaction(db, async (tx) => {
      const conversation = await findConversation(tx, id, true);
      if (!conversation) throw new ChatError('not_found', 'Conversation not found');
      let text = frame.type === 'message' ? frame.text : '';
      const buttonId = frame.type === 'button' ? frame.buttonId : null;
      if (buttonId) {
        const pressed = (await lastOfferedButtons(tx, id)).find((b) => b.id === buttonId);
        if (!pressed) throw new ChatError('validation_failed', `No button ${buttonId} is on offer`);
        text = pressed.label;
      }
      const offerChoice = OFFER_BUTTON.exec(buttonId ?? '')?.[1] as HandOffVia | undefined;
      if (offerChoice && !conversation.handoff_offer)
        throw new ChatError('validation_failed', `No button ${buttonId} is on offer`);
      // Announced after the commit (below): a transaction that notifies holds PostgreSQL's global
      // notify lock through its commit's WAL flush, which made every chat's commits wait in one line.
      const quiet = { locked: true, announce: false } as const;
      const stored = await appendMessages(
        tx,
        id,
        [{ authorKind: 'buyer', body: text, buttonId, clientMessageId: frame.clientMessageId }],
        at,
        quiet,
      );
      if (stored.replay) return { seq: stored.replay.seq, rows: [], complete: true, askBotRating: false };
      const seq = stored.rows[0]!.seq;
      const done = { seq, rows: stored.rows, complete: true, askBotRating: false };
      if (conversation.owner_kind !== 'bot') return done;
      if (offerChoice) {
        // The buyer chose e-mail or a callback: the hand-off layer carries it out; the bot stays silent.
        const offer = conversation.handoff_offer!;
        await options.cases.handOff(tx, (await findConversation(tx, id))!, at, {
          orderRef: offer.orderRef,
          via: offerChoice,
        });
        return { ...done, complete: false };
      }
      const turn = (await options.bot.onBuyerMessage(
        tx,
        conversation,
        { seq, text, buttonId, at },
        'write',
      )) ?? { replies: [] };
      const via = DIALOGUE_CONTACT_BUTTON.exec(buttonId ?? '')?.[1] as HandOffVia | undefined;
      const bot = await storeBotReplies(tx, id, turn, at, options.cases, quiet, via);
      // Once the bot has helped, the buyer may rate it (C7), asked once per conversation. The locked row
      // tells whether it was asked already; only a hand-off (which changes the owner) needs a fresh read.
      const rows = [...stored.rows, ...bot.rows];
      const complete = !bot.handedOff;
      if (conversation.bot_rating_requested_at !== null) return { ...done, rows, complete };
      const after = bot.handedOff ? (await findConversation(tx, id))! : conversation;
      const askBotRating =
        after.owner_kind === 'bot' &&
        botHelped(turn.dialogue && !bot.handedOff ? turn.dialogue.phase : await dialoguePhase(tx, id)) &&
        (await markBotRatingRequested(tx, id, at));
      return { seq, rows, complete, askBotRating };
    });
  }

  async function agentWrites(frame: Extract<ClientFrame, { type: 'message' | 'button' }>, at: Date) {
    if (frame.type !== 'message') throw new ChatError('forbidden', 'People answer with messages');
    const conversation = await target(frame.conversationId);
    if (!(await options.cases.mayAnswer(db, userId!, conversation)))
      throw new ChatError(
        'forbidden',
        role === 'supervisor'
          ? 'Watching is read-only: send take_over to answer'
          : 'Only the agent who owns the case answers',
      );
    const stored = await inTransaction(db, (tx) =>
      appendMessage(
        tx,
        conversation.id,
        {
          authorKind: 'agent',
          authorUserId: userId,
          authorName: name,
          body: frame.text,
          clientMessageId: frame.clientMessageId,
        },
        at,
      ),
    );
    send(socket, {
      type: 'ack',
      conversationId: conversation.id,
      clientMessageId: frame.clientMessageId,
      seq: stored.seq,
    });
  }

  /** The conversation a frame is about: one this socket follows (a buyer's current one by default). */
  async function target(conversationId: string | undefined): Promise<ConversationRow> {
    const conversation = await findConversation(db, followedId(conversationId));
    if (!conversation) throw new ChatError('not_found', 'Conversation not found');
    return conversation;
  }

  function followedId(conversationId: string | undefined): string {
    const id = conversationId ?? (role === 'buyer' ? current : null);
    if (!id) throw new ChatError('validation_failed', 'Name the conversation (conversationId), or start one');
    if (!followed.has(id)) throw new ChatError('not_found', 'Conversation not found');
    return id;
  }
}

/**
 * The bot's replies and its dialogue's state in one statement, then the hand-off one of the replies
 * asks for (its messages follow).
 */
async function storeBotReplies(
  tx: Db,
  conversationId: string,
  { replies, dialogue }: BotTurn,
  at: Date,
  cases: ChatCases,
  options: AppendOptions,
  pressedVia?: HandOffVia,
): Promise<{ rows: ChatMessageRow[]; handedOff: boolean }> {
  const { rows } = await appendMessages(
    tx,
    conversationId,
    replies.map((reply) => ({ authorKind: 'bot', body: reply.text, buttons: reply.buttons })),
    at,
    { ...options, dialogue: dialogue?.json },
  );
  const handOff = replies.find((r) => r.handOff)?.handOff;
  if (handOff)
    await cases.handOff(tx, (await findConversation(tx, conversationId))!, at, {
      orderRef: handOff.orderRef,
      escalate: handOff.escalate ?? false,
      via: handOff.via ?? pressedVia,
    });
  return { rows, handedOff: handOff !== undefined };
}

function parseFrame(data: RawData, isBinary: boolean): ClientFrame {
  if (isBinary) throw new ChatError('malformed_frame', 'Frames are JSON text');
  const bytes = Array.isArray(data)
    ? data.reduce((n, b) => n + b.length, 0)
    : (data as Buffer | ArrayBuffer).byteLength;
  if (bytes > MAX_FRAME_BYTES)
    throw new ChatError('frame_too_large', `Frames are at most ${MAX_FRAME_BYTES} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(
      Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'),
    );
  } catch {
    throw new ChatError('malformed_frame', 'A frame is one JSON object');
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof value !== 'object' || Array.isArray(value) || !clientFrameTypes.includes(type as never))
    throw new ChatError('unknown_frame', `A frame's type is one of ${clientFrameTypes.join(', ')}`);
  const invalid = findInvalidText(value);
  if (invalid) throw new ChatError('invalid_text', `${invalid.path}: ${invalid.message}`);
  const parsed = clientFrame.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ChatError('validation_failed', `${issue.path.join('.') || 'frame'}: ${issue.message}`);
  }
  return parsed.data;
}

function roleOf(p: Principal): Role | null {
  if (buyerIdOf(p)) return 'buyer';
  if (p.kind === 'user' && (p.role === 'agent' || p.role === 'supervisor')) return p.role;
  return null;
}

/** The phase of a dialogue state as stored (the bot module owns its meaning). */
const phaseOf = (dialogue: unknown) =>
  typeof (dialogue as { phase?: unknown } | null)?.phase === 'string'
    ? (dialogue as { phase: string }).phase
    : null;

const firstName = (displayName: string) => displayName.trim().split(/\s+/)[0] || null;

async function summary(db: Db, c: ConversationRow, knownCaseNumber?: string | null) {
  return {
    id: c.id,
    marketplace: c.marketplace_id,
    language: c.language,
    owner: c.owner_kind,
    caseNumber: knownCaseNumber !== undefined ? knownCaseNumber : await caseNumberOf(db, c.id),
    lastSeq: c.last_seq,
  };
}

function messageFrame(row: ChatMessageRow): ServerFrame {
  return {
    type: 'message',
    conversationId: row.conversation_id,
    seq: row.seq,
    from: row.author_kind,
    authorName: row.author_name,
    text: row.body,
    ...(row.buttons ? { buttons: row.buttons } : {}),
    caseNumber: row.case_number,
    at: row.created_at.toISOString(),
  };
}
