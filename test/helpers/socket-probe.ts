import WebSocket from 'ws';
import type { ServerFrame } from '../../src/contracts/chat';

/**
 * A raw chat socket for probing: sends any headers at the upgrade (cookie or bearer), keeps every frame,
 * and reports how the socket ended. Unlike ChatClient it never throws on a refusal: refusals are results.
 */
export class SocketProbe {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  refusedStatus: number | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(JSON.parse(data.toString())));
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    socket.on('error', () => {});
  }

  static async open(port: number, headers: Record<string, string> = {}): Promise<SocketProbe> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/chat/socket`, { headers });
    const probe = new SocketProbe(socket);
    await new Promise<void>((resolve) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => {
        probe.refusedStatus = res.statusCode ?? 0;
        resolve();
      });
      socket.once('error', () => resolve());
    });
    return probe;
  }

  send(frame: unknown) {
    if (this.socket.readyState === WebSocket.OPEN)
      this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits until `done` holds over the frames received since `from`, or the socket closes, or `ms` pass. */
  async until(from: number, done: (frames: ServerFrame[]) => boolean, ms = 3000): Promise<ServerFrame[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const seen = this.frames.slice(from);
      if (done(seen) || this.closed || Date.now() >= deadline) return seen;
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  close() {
    this.socket.close();
  }
}
