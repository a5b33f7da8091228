import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './server';
import { errorBody } from './server';

// The built web pages, served by the same process: hashed assets cached for a year, the widget and
// the single-page app's shell revalidated by ETag, and a Content-Security-Policy on every page.

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

type WebFile = { body: Buffer; type: string; etag: string };

export type WebPagesOptions = {
  /** The build folder (index.html, assets/, widget.js). */
  dir: string;
  publicUrl: string;
  /** First path segments that are pages of the app (`help` serves /help and /help/…). */
  pagePrefixes: readonly string[];
  /** Pages meant to be framed by other sites (the widget's chat): first path segment. */
  framedPrefix?: string;
  /** The site origins that may frame a framed page for this request; none → no site may. */
  frameAncestors?: (request: FastifyRequest) => Promise<readonly string[]>;
};

function loadFiles(dir: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const path = join(entry.parentPath, entry.name);
    const body = readFileSync(path);
    const urlPath = `/${relative(dir, path).split(sep).join('/')}`;
    files.set(urlPath, {
      body,
      type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    });
  }
  return files;
}

/** The page policy: only this site's scripts and styles, no inline code, no plugins, no foreign forms. */
export function contentSecurityPolicy(publicUrl: string, frameAncestors: readonly string[] | 'none'): string {
  const origin = new URL(publicUrl);
  const socket = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${socket}`,
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors === 'none' || frameAncestors.length === 0 ? "'none'" : frameAncestors.join(' ')}`,
  ].join('; ');
}

export function registerWebPages(app: App, options: WebPagesOptions) {
  const files = loadFiles(options.dir);
  const shell = files.get('/index.html');

  const send = (request: FastifyRequest, reply: FastifyReply, file: WebFile, cache: string) => {
    reply.header('content-type', file.type).header('cache-control', cache).header('etag', file.etag);
    reply.header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
    return reply.send(file.body);
  };

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!shell)
      return reply
        .status(503)
        .send(errorBody('unavailable', 'The web pages are not built; `npm start` builds them'));
    const framed =
      options.framedPrefix !== undefined && request.url.split('?')[0]!.split('/')[1] === options.framedPrefix;
    const ancestors = framed && options.frameAncestors ? await options.frameAncestors(request) : 'none';
    reply.header('content-security-policy', contentSecurityPolicy(options.publicUrl, ancestors));
    reply.header('referrer-policy', 'no-referrer');
    if (!framed) reply.header('x-frame-options', 'DENY');
    // The ETag alone would let a cached shell outlive a change of frame-ancestors: always revalidate.
    return send(request, reply, shell, 'no-cache');
  };

  const publicRoute = { config: { access: 'public' as const }, schema: { hide: true } };

  app.get('/assets/*', publicRoute, async (request, reply) => {
    const file = files.get(request.url.split('?')[0]!);
    if (!file) return reply.status(404).send(errorBody('not_found', 'No such file'));
    // File names carry their content's hash: a changed file is a new name.
    return send(request, reply, file, 'public, max-age=31536000, immutable');
  });

  app.get('/widget.js', publicRoute, async (request, reply) => {
    const file = files.get('/widget.js');
    if (!file) return reply.status(503).send(errorBody('unavailable', 'The widget is not built'));
    // Operators' pages load it from their own origin: allow that, and keep its name stable.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return send(request, reply, file, 'public, max-age=300, must-revalidate');
  });

  app.get('/', publicRoute, page);
  for (const prefix of options.pagePrefixes) {
    app.get(`/${prefix}`, publicRoute, page);
    app.get(`/${prefix}/*`, publicRoute, page);
  }
}
