import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { type App, createHttpServer } from './server';
import { contentSecurityPolicy, registerWebPages } from './web-pages';

// The static handler on a hand-made build folder: no Vite, no database.
let dir: string;
let app: App;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onbehalf-web-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>shell</title>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(dir, 'widget.js'), '(()=>{})()');
  await writeFile(join(dir, '.source-hash'), 'secret-ish');
  app = await createHttpServer({
    logger: createLogger('silent'),
    bodyLimit: 1024,
    publicUrl: 'https://cs.example.com',
    trustedProxies: [],
    authenticate: async () => null,
  });
  registerWebPages(app, {
    dir,
    publicUrl: 'https://cs.example.com',
    pagePrefixes: ['help', 'agent', 'embed'],
    framedPrefix: 'embed',
    frameAncestors: async (request) =>
      (request.query as { marketplace?: string }).marketplace === 'IT' ? ['https://shop.example.it'] : [],
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describe('web pages handler', () => {
  it('serves the app shell for every page path, with a strict CSP and no caching without revalidation', async () => {
    for (const url of ['/', '/help', '/help/IT?lang=it', '/agent/cases/123']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<title>shell</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("connect-src 'self' wss://cs.example.com");
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('lets only the configured sites frame the framed pages', async () => {
    const allowed = await get('/embed/chat?marketplace=IT');
    expect(allowed.headers['content-security-policy']).toContain('frame-ancestors https://shop.example.it');
    expect(allowed.headers['x-frame-options']).toBeUndefined();
    const other = await get('/embed/chat?marketplace=ES');
    expect(other.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('caches hashed assets for a year and answers a matching ETag with 304', async () => {
    const res = await get('/assets/index-abc123.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const again = await get('/assets/index-abc123.js', { 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await get('/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves the widget under a stable name, loadable from other sites, revalidated', async () => {
    const res = await get('/widget.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300, must-revalidate');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers.etag).toMatch(/^".+"$/);
  });

  it('answers unknown files and paths outside the app with the standard 404, and never serves dot files', async () => {
    for (const url of ['/assets/missing.js', '/assets/../index.html', '/.source-hash', '/nothing']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('writes one policy for one origin', () => {
    expect(contentSecurityPolicy('http://127.0.0.1:3000', ['https://a.example', 'https://b.example'])).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self' ws://127.0.0.1:3000; frame-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors https://a.example https://b.example",
    );
  });
});
