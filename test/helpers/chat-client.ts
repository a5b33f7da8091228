import WebSocket from 'ws';
import type { ServerFrame } from '../../src/contracts/chat';
import { buildApp } from '../../src/server/main/app';
import type { ChatBot } from '../../src/server/modules/conversations';
import { loadConfig } from '../../src/server/platform/config';
import type { Db } from '../../src/server/platform/db';
import type { App } from '../../src/server/platform/http/server';
import { createLogger } from '../../src/server/platform/log';
import { freePort } from './free-port';

/** Another instance of the app on the test file's database, listening on a free port (sockets need one). */
export async function listeningApp(
  database: { db: Db; url: string },
  bot?: ChatBot,
  env: Record<string, string> = {},
): Promise<{ app: App; port: number }> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOAD_DEMO: 'false', ...env });
  const app = await buildApp(config, database.db, createLogger('silent'), { databaseUrl: database.url, bot });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  return { app, port };
}

/** A real WebSocket client of the chat: every frame it receives is kept, to be awaited in order. */
export class ChatClient {
  readonly frames: ServerFrame[] = [];
  private seen = 0;
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static connect(port: number, headers: Record<string, string> = {}, origin?: string): Promise<ChatClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`, {
      headers: { ...(headers.cookie ? { cookie: headers.cookie } : {}) },
      ...(origin ? { origin } : {}),
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new ChatClient(socket)));
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      socket.once('error', reject);
    });
  }

  send(frame: unknown) {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame (after those already taken) that matches, waiting up to `ms`. */
  async next<T extends ServerFrame['type']>(
    type: T,
    match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    ms = 5000,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + ms;
    for (;;) {
      for (let i = this.seen; i < this.frames.length; i++) {
        const f = this.frames[i]!;
        if (f.type === type && match(f as Extract<ServerFrame, { type: T }>)) {
          this.seen = i + 1;
          return f as Extract<ServerFrame, { type: T }>;
        }
      }
      if (this.closed)
        throw new Error(`closed (${this.closed.code}) waiting for ${type}: ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} frame within ${ms} ms: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Frames received since the last one taken, after a quiet moment. */
  async rest(ms = 300): Promise<ServerFrame[]> {
    await new Promise((r) => setTimeout(r, ms));
    const rest = this.frames.slice(this.seen);
    this.seen = this.frames.length;
    return rest;
  }

  async closedWith(ms = 3000) {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  close() {
    this.socket.close();
  }
}
