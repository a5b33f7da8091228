import { type ClientFrame, MAX_CHAT_TEXT, type ServerFrame, serverFrame } from '../../../contracts/chat';

// The buyer's side of the chat socket (docs/chat.md): hello (with the buyer token when there is one),
// start or resume, messages kept by their number, a resend of what was not acknowledged, and a
// reconnect that asks for everything after the last number seen — so a dropped connection loses nothing.

export type ChatMessage = Extract<ServerFrame, { type: 'message' }> & { pending?: boolean };
export type ChatStatus = 'connecting' | 'open' | 'reconnecting' | 'refused';

export type ChatState = {
  status: ChatStatus;
  conversationId: string | null;
  caseNumber: string | null;
  owner: 'bot' | 'agent';
  agentName: string | null;
  messages: ChatMessage[];
  /** Someone else is typing (the agent), shown for a few seconds. */
  typing: { from: string; authorName: string | null } | null;
  ratingRequest: { subject: 'bot' | 'agent'; agentName: string | null } | null;
  ratedSubjects: ('bot' | 'agent')[];
  errorCode: string | null;
};

export type ChatOptions = {
  marketplace: string;
  language: string;
  orderId?: string;
  /** The product whose detail page the chat was opened from (the bot answers from that page). */
  productId?: string;
  /** The operator's buyer token; without it the session cookie signs the buyer in. */
  token?: string | null;
  /** The server refused the buyer token (expired): the page may get a new one and call setToken. */
  onTokenRefused?: () => void;
  /** ws(s)://host of the server; default: this page's. */
  socketUrl?: string;
};

const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export class ChatConnection {
  private socket: WebSocket | null = null;
  private listeners = new Set<(state: ChatState) => void>();
  private unacked = new Map<string, ClientFrame>();
  private lastSeq = 0;
  private attempts = 0;
  private closedByUs = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTypingSent = 0;
  state: ChatState = {
    status: 'connecting',
    conversationId: null,
    caseNumber: null,
    owner: 'bot',
    agentName: null,
    messages: [],
    typing: null,
    ratingRequest: null,
    ratedSubjects: [],
    errorCode: null,
  };

  private readonly options: ChatOptions;

  constructor(options: ChatOptions) {
    // A copy: a new token replaces the copy's, never the caller's (React props are read-only).
    this.options = { ...options };
  }

  subscribe(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }

  connect() {
    this.closedByUs = false;
    const url =
      this.options.socketUrl ??
      `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/v1/chat/socket`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.attempts = 0;
      this.sendNow({
        type: 'hello',
        ...(this.options.token ? { token: this.options.token } : {}),
        ...(this.state.conversationId
          ? { conversationId: this.state.conversationId, lastSeq: this.lastSeq }
          : {}),
      });
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', () => {
      if (this.socket !== socket || this.closedByUs || this.state.status === 'refused') return;
      this.set({ status: 'reconnecting' });
      // Back off up to 10 s; a reconnect resumes with lastSeq and resends what was not acknowledged.
      const delay = Math.min(10_000, 500 * 2 ** this.attempts++);
      setTimeout(() => this.connect(), delay);
    });
  }

  /**
   * A new buyer token (the operator's page refreshed it). A chat refused for its old token connects
   * again and resumes its conversation from the last message seen; an open one uses it at its next hello.
   */
  setToken(token: string) {
    if (token === this.options.token) return;
    this.options.token = token;
    if (this.state.status !== 'refused') return;
    this.set({ status: 'connecting', errorCode: null });
    this.connect();
  }

  close() {
    this.closedByUs = true;
    this.socket?.close();
  }

  private sendNow(frame: ClientFrame | Record<string, unknown>) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private receive(data: string) {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = serverFrame.safeParse(raw);
    if (!parsed.success) return;
    const frame = parsed.data;
    switch (frame.type) {
      case 'welcome': {
        this.set({ status: 'open', errorCode: null });
        const resumed = frame.conversations[0];
        if (resumed) this.follow(resumed);
        else if (!this.state.conversationId)
          this.sendNow({
            type: 'start',
            marketplace: this.options.marketplace,
            language: this.options.language,
            ...(this.options.orderId ? { orderId: this.options.orderId } : {}),
            ...(this.options.productId ? { productId: this.options.productId } : {}),
          });
        for (const pending of this.unacked.values()) this.sendNow(pending);
        return;
      }
      case 'joined':
        return this.follow(frame.conversation);
      case 'message':
        return this.addMessage(frame);
      case 'ack': {
        this.unacked.delete(frame.clientMessageId);
        return;
      }
      case 'typing': {
        if (frame.from === 'buyer') return;
        clearTimeout(this.typingTimer);
        this.typingTimer = setTimeout(() => this.set({ typing: null }), 6000);
        return this.set({ typing: { from: frame.from, authorName: frame.authorName } });
      }
      case 'error': {
        const refused = frame.code === 'unauthenticated' || frame.code === 'forbidden';
        this.set({ errorCode: frame.code, ...(refused ? { status: 'refused' as const } : {}) });
        if (frame.code === 'unauthenticated' && this.options.token) this.options.onTokenRefused?.();
        return;
      }
      case 'rating_request':
        return this.set({ ratingRequest: { subject: frame.subject, agentName: frame.agentName ?? null } });
      case 'rated':
        return this.set({
          ratingRequest: null,
          ratedSubjects: [...new Set([...this.state.ratedSubjects, frame.subject])],
        });
      case 'pong':
        return;
    }
  }

  private follow(conversation: {
    id: string;
    caseNumber: string | null;
    owner: 'bot' | 'agent';
    lastSeq: number;
  }) {
    this.set({
      conversationId: conversation.id,
      caseNumber: conversation.caseNumber ?? this.state.caseNumber,
      owner: conversation.owner,
    });
  }

  private addMessage(frame: Extract<ServerFrame, { type: 'message' }>) {
    if (this.state.conversationId && frame.conversationId !== this.state.conversationId) return;
    this.lastSeq = Math.max(this.lastSeq, frame.seq);
    const messages = this.state.messages.filter(
      (m) => m.seq !== frame.seq && !(m.pending && frame.from === 'buyer' && m.text === frame.text),
    );
    messages.push(frame);
    messages.sort((a, b) => a.seq - b.seq);
    const fromAgent = frame.from === 'agent';
    this.set({
      messages,
      conversationId: frame.conversationId,
      caseNumber: frame.caseNumber ?? this.state.caseNumber,
      ...(fromAgent ? { owner: 'agent' as const, agentName: frame.authorName, typing: null } : {}),
    });
  }

  say(text: string) {
    const clean = text.trim().slice(0, MAX_CHAT_TEXT);
    if (!clean) return;
    const frame: ClientFrame = { type: 'message', clientMessageId: newId(), text: clean };
    this.unacked.set(frame.clientMessageId, frame);
    // Shown at once as the buyer's, replaced by the stored message when it comes back numbered.
    const pending: ChatMessage = {
      type: 'message',
      conversationId: this.state.conversationId ?? '',
      seq: Number.MAX_SAFE_INTEGER - this.unacked.size,
      from: 'buyer',
      authorName: null,
      text: clean,
      caseNumber: null,
      at: new Date().toISOString(),
      pending: true,
    };
    this.set({ messages: [...this.state.messages, pending] });
    this.sendNow(frame);
  }

  press(buttonId: string) {
    const frame: ClientFrame = { type: 'button', clientMessageId: newId(), buttonId };
    this.unacked.set(frame.clientMessageId, frame);
    this.sendNow(frame);
  }

  handoff() {
    this.sendNow({ type: 'handoff' });
  }

  /** At most one typing frame every 3 s. */
  typing() {
    const now = Date.now();
    if (now - this.lastTypingSent < 3000) return;
    this.lastTypingSent = now;
    this.sendNow({ type: 'typing' });
  }

  rate(rating: { stars: number; solved: boolean; comment?: string }) {
    this.sendNow({
      type: 'rate',
      ...(this.state.conversationId ? { conversationId: this.state.conversationId } : {}),
      stars: rating.stars,
      solved: rating.solved,
      ...(rating.comment ? { comment: rating.comment } : {}),
    });
  }
}
