// The notices of what buyers' messages stored, sent after their commits: gathered for a few
// milliseconds and sent in one statement for many conversations, instead of one round trip each
// (issue 16). A notice lost here (the process dies first) only delays other sockets until their next
// notice or reconnect; the writer's own socket and a resume by `lastSeq` do not depend on it.
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/log';
import { announceStored } from './conversations.repository';

export type NoticeBatch = {
  /** The conversation has messages up to `seq`, committed: tell every instance soon. */
  announce(conversationId: string, seq: number): void;
  /** Sends what is gathered now (at close). */
  flush(): Promise<void>;
};

export function noticeBatch(db: Db, log: Logger, delayMs = 2): NoticeBatch {
  let gathered = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const batch = [...gathered].map(([c, s]) => ({ c, s }));
    gathered = new Map();
    await announceStored(db, batch).catch((error) =>
      log.warn({ err: error }, 'chat notices not sent; other sockets catch up on the next ones'),
    );
  };
  return {
    announce(conversationId, seq) {
      gathered.set(conversationId, Math.max(gathered.get(conversationId) ?? 0, seq));
      timer ??= setTimeout(() => void flush(), delayMs);
    },
    flush,
  };
}
