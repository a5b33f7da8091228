// `onbehalf chat`: the buyer chat in a terminal, for operators trying their bot and for tests. It
// connects to the running server's socket as a buyer (with a token signed as the operator's site would),
// sends each line of standard input — `#ID` presses the button with that id — and prints one JSON line
// for every message the buyer sees.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { type ServerFrame, serverFrame } from '../../contracts/chat';
import type { Config } from '../platform/config';

/** How long the chat is quiet before a line's answers count as complete. */
const QUIET_MS = 800;
/** How long a line may wait for its acknowledgement. */
const ACK_MS = 15_000;

export async function signBuyerToken(config: Config, buyer: string, ttlSeconds: number) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(buyer)
    .setIssuedAt()
    .setExpirationTime(`${Math.min(ttlSeconds, config.buyerTokenMaxTtlSeconds)}s`)
    .sign(new TextEncoder().encode(config.buyerTokenSecret));
}

/** What the terminal prints of a message: who, what, the buttons, the case and the agent (null if none). */
export function printedMessage(frame: Extract<ServerFrame, { type: 'message' }>) {
  return {
    from: frame.from,
    text: frame.text,
    buttons: frame.buttons ?? [],
    caseNumber: frame.caseNumber,
    agentName: frame.from === 'agent' ? frame.authorName : null,
  };
}

export async function chatCommand(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      marketplace: { type: 'string' },
      buyer: { type: 'string' },
      language: { type: 'string' },
      url: { type: 'string', default: config.publicUrl },
    },
  });
  if (!values.marketplace || !values.buyer) throw new Error('--marketplace and --buyer are required');
  const base = new URL(values.url);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(new URL('/api/v1/chat/socket', base));
  const frames = new FrameQueue(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (e) => reject(new Error(`cannot reach ${values.url}: ${e.message}`)));
  });

  socket.send(JSON.stringify({ type: 'hello', token: await signBuyerToken(config, values.buyer, 900) }));
  await frames.next('welcome', ACK_MS);
  socket.send(
    JSON.stringify({
      type: 'start',
      marketplace: values.marketplace,
      language: values.language ?? defaultLanguage(values.marketplace),
    }),
  );
  await frames.quiet(QUIET_MS); // the greeting

  let line = 0;
  for await (const text of createInterface({ input: process.stdin })) {
    if (!text.trim()) continue;
    const clientMessageId = `cli-${process.pid}-${++line}`;
    const button = /^#(\S+)$/.exec(text.trim());
    socket.send(
      JSON.stringify(
        button
          ? { type: 'button', buttonId: button[1], clientMessageId }
          : { type: 'message', text, clientMessageId },
      ),
    );
    await frames.next('ack', ACK_MS, (f) => f.clientMessageId === clientMessageId);
    await frames.quiet(QUIET_MS);
  }
  socket.close();
  return frames.failed ? 1 : 0;
}

// The demo marketplaces' first language; `--language` chooses another.
const defaultLanguage = (marketplace: string) =>
  ({ US: 'en', IT: 'it', ES: 'es', FR: 'fr', DE: 'de' })[marketplace] ?? 'en';

/** Prints what the buyer sees as it arrives, and lets the command wait for a frame or for quiet. */
class FrameQueue {
  private waiting: ((f: ServerFrame | null) => void)[] = [];
  private lastAt = Date.now();
  failed = false;

  constructor(socket: WebSocket) {
    socket.on('message', (data) => {
      const parsed = serverFrame.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) return;
      const frame = parsed.data;
      this.lastAt = Date.now();
      if (frame.type === 'message' && frame.from !== 'buyer')
        process.stdout.write(`${JSON.stringify(printedMessage(frame))}\n`);
      if (frame.type === 'error') {
        process.stderr.write(`onbehalf chat: ${frame.code}: ${frame.message}\n`);
        this.failed = true;
      }
      for (const w of this.waiting.splice(0)) w(frame);
    });
    socket.on('close', () => {
      for (const w of this.waiting.splice(0)) w(null);
    });
  }

  /** Waits for a frame of this type (an error frame or a closed socket ends the wait with an error). */
  next<T extends ServerFrame['type']>(
    type: T,
    ms: number,
    match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} from the server within ${ms} ms`)), ms);
      const wait = (f: ServerFrame | null) => {
        if (f === null || f.type === 'error') {
          clearTimeout(timer);
          reject(new Error(f ? `${f.code}: ${f.message}` : 'the server closed the chat'));
        } else if (f.type === type && match(f as Extract<ServerFrame, { type: T }>)) {
          clearTimeout(timer);
          resolve(f as Extract<ServerFrame, { type: T }>);
        } else this.waiting.push(wait);
      };
      this.waiting.push(wait);
    });
  }

  /** Resolves once nothing has arrived for `ms`: the answers to a line are in. */
  async quiet(ms: number) {
    this.lastAt = Date.now();
    while (Date.now() - this.lastAt < ms) await new Promise((r) => setTimeout(r, 50));
  }
}
