import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/helpers/database';
import { buildApp } from '../main/app';
import { loadConfig } from './config';

const OWN = { BUYER_TOKEN_SECRET: 'b'.repeat(40), REPLY_TOKEN_SECRET: 'r'.repeat(40) };

describe('the demo secrets', () => {
  it('are named when in use, also when set explicitly to the README value', () => {
    expect(loadConfig({}).demoSecrets).toEqual(['BUYER_TOKEN_SECRET', 'REPLY_TOKEN_SECRET']);
    const explicit = loadConfig({ ...OWN, REPLY_TOKEN_SECRET: loadConfig({}).replyTokenSecret });
    expect(explicit.demoSecrets).toEqual(['REPLY_TOKEN_SECRET']);
    expect(loadConfig(OWN).demoSecrets).toEqual([]);
  });

  it('stop the start when PUBLIC_URL is https, naming each variable', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://cs.example.com' })).toThrow(
      /BUYER_TOKEN_SECRET, REPLY_TOKEN_SECRET still have the public demo value/,
    );
    expect(() =>
      loadConfig({ PUBLIC_URL: 'https://cs.example.com', BUYER_TOKEN_SECRET: OWN.BUYER_TOKEN_SECRET }),
    ).toThrow(/REPLY_TOKEN_SECRET still has the public demo value/);
    expect(loadConfig({ ...OWN, PUBLIC_URL: 'https://cs.example.com' }).publicUrl).toBe(
      'https://cs.example.com',
    );
    // A scheme is case-insensitive: HTTPS is https, refused with demo secrets all the same.
    expect(() => loadConfig({ PUBLIC_URL: 'HTTPS://cs.example.com' })).toThrow(/public demo value/);
    expect(loadConfig({ ...OWN, PUBLIC_URL: 'HTTPS://CS.example.com' }).publicUrl).toBe(
      'https://CS.example.com',
    );
  });

  it('are warned about at start, one line per variable', async () => {
    const lines: { level: number; variable?: string; msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const database = await testDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOAD_DEMO: 'false',
      BUYER_TOKEN_SECRET: OWN.BUYER_TOKEN_SECRET,
    });
    const app = await buildApp(config, database.db, pino({ level: 'warn' }, sink));
    await app.close();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        variable: 'REPLY_TOKEN_SECRET',
        msg: expect.stringMatching(/demo value/),
      }),
    ]);
  });
});
