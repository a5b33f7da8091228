// A small HTTP load generator on node:http with keep-alive: closed loop for the maximum rate,
// open loop at a fixed rate for latency. Bounded by count and time; loopback only.
import http from 'node:http';

export type Load = {
  completed: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function post(
  port: number,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function summarise(latencies: number[], errors: number, seconds: number): Load {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    completed: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
  };
}

/** As fast as `concurrency` workers can go, for `seconds`. */
export async function closedLoop(
  seconds: number,
  concurrency: number,
  send: (i: number) => Promise<number>,
): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const status = await send(i++);
        if (status >= 400) errors++;
        else latencies.push(performance.now() - t);
      }
    }),
  );
  return summarise(latencies, errors, (performance.now() - started) / 1000);
}

/** `rate` requests per second, each sent on schedule whatever the others are doing, for `seconds`. */
export async function openLoop(
  seconds: number,
  rate: number,
  send: (i: number) => Promise<number>,
): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.floor(seconds * rate);
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const t = performance.now();
    inflight.push(
      send(i).then(
        (status) => void (status >= 400 ? errors++ : latencies.push(performance.now() - t)),
        () => void errors++,
      ),
    );
  }
  await Promise.all(inflight);
  return summarise(latencies, errors, (performance.now() - started) / 1000);
}
