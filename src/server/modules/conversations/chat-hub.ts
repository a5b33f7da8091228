// One LISTEN connection per instance: every stored message and typing event, from any instance, arrives
// here and goes to this instance's sockets that follow the conversation. If the connection drops, it
// reconnects and every socket catches up from the table, so nothing announced meanwhile is lost.
import pg from 'pg';
import type { Logger } from '../../platform/log';
import { CHAT_CHANNEL, type ChatNotice } from './conversations.repository';

/** What the hub needs of a socket. */
export type Follower = {
  userId: string | null;
  follows(conversationId: string): boolean;
  /** Reads and sends what this socket has not yet seen of the conversation. */
  catchUp(conversationId?: string, seq?: number): void;
  /** The conversation was handed to this socket's user: follow it from the start. */
  follow(conversationId: string): void;
  typing(notice: Extract<ChatNotice, { t: string }>): void;
  /** The chat is no longer this socket's user's (taken over, reassigned, escalated, resolved). */
  released(notice: Extract<ChatNotice, { r: string }>): void;
};

export type ChatHub = { add(f: Follower): void; remove(f: Follower): void; close(): Promise<void> };

export function startChatHub(databaseUrl: string, log: Logger, retryMs = 1000): ChatHub {
  const followers = new Set<Follower>();
  let client: pg.Client | null = null;
  let closed = false;

  const dispatch = (payload: string | undefined) => {
    let notice: ChatNotice;
    try {
      notice = JSON.parse(payload ?? '');
    } catch {
      return;
    }
    for (const f of followers) {
      if ('r' in notice) {
        if (f.userId === notice.r && f.follows(notice.c)) f.released(notice);
      } else if ('t' in notice) {
        if (f.follows(notice.c)) f.typing(notice);
      } else if (f.follows(notice.c)) f.catchUp(notice.c, notice.s);
      else if (notice.u && f.userId === notice.u) f.follow(notice.c);
    }
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'onbehalf-chat' });
    const retry = () => {
      if (client !== c) return;
      client = null;
      c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect(), retryMs).unref();
    };
    c.on('error', (error) => {
      log.warn({ err: error }, 'chat listener lost its connection; reconnecting');
      retry();
    });
    c.on('end', retry);
    c.on('notification', (n) => dispatch(n.payload));
    client = c;
    try {
      await c.connect();
      await c.query(`listen ${CHAT_CHANNEL}`);
      // Whatever was announced while no connection listened is read from the table.
      for (const f of followers) f.catchUp();
    } catch (error) {
      log.warn({ err: error }, 'chat listener could not connect; retrying');
      retry();
    }
  };
  void connect();

  return {
    add: (f) => followers.add(f),
    remove: (f) => followers.delete(f),
    async close() {
      closed = true;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
