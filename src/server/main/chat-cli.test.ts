import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/helpers/app';
import { listeningApp } from '../../../test/helpers/chat-client';
import { twoSellers } from '../../../test/helpers/fixtures';
import { chatAssistant } from '../modules/assistant';
import { buildBotModel } from '../modules/bot';
import { enrol } from '../modules/programs';
import type { App } from '../platform/http/server';

const t = await testApp();
let app: App;
let port = 0;

beforeAll(async () => {
  await t.seed(twoSellers());
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  ({ app, port } = await listeningApp(t.database, chatAssistant(buildBotModel())));
}, 120_000);
afterAll(() => app?.close());

/** Runs `onbehalf chat` as an operator would, with these lines on its standard input. */
function chat(args: string[], input: string) {
  const child = spawn('npx', ['tsx', 'src/server/main/cli.ts', 'chat', ...args], {
    env: { ...process.env, DATABASE_URL: undefined, BUYER_TOKEN_SECRET: t.config.buyerTokenSecret },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  child.stdin.end(input);
  return new Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }>((resolve) =>
    child.once('exit', (code) =>
      resolve({
        code,
        stderr,
        lines: stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      }),
    ),
  );
}

describe('onbehalf chat', () => {
  it('prints one JSON line per message the buyer sees, presses buttons with #ID and exits at the end of input', async () => {
    const { code, lines, stderr } = await chat(
      ['--marketplace', 'IT', '--buyer', 'B-1', '--url', `http://127.0.0.1:${port}`],
      '#topic:order\n',
    );
    expect(code, stderr).toBe(0);
    const [greeting, orders] = lines as { from: string; buttons: { id: string }[]; caseNumber: null }[];
    expect(greeting).toMatchObject({ from: 'bot', caseNumber: null, agentName: null });
    expect(greeting!.buttons.map((b) => b.id)).toContain('topic:order');
    // The button shows the buyer's own orders, and only theirs.
    expect(orders!.buttons.map((b) => b.id)).toContain('order:O-A');
    expect(orders!.buttons.map((b) => b.id)).not.toContain('order:O-B');
    for (const line of lines)
      expect(Object.keys(line).sort()).toEqual(['agentName', 'buttons', 'caseNumber', 'from', 'text']);
  }, 90_000);

  it('says what went wrong and exits non-zero for an unknown buyer', async () => {
    const { code, stderr } = await chat(
      ['--marketplace', 'IT', '--buyer', 'B-404', '--url', `http://127.0.0.1:${port}`],
      'ciao\n',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/onbehalf chat: /);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 90_000);
});
