import type { z } from 'zod';
import type { ErrorDetail } from './errors';

/** Turns zod issues into the API's error details, with dotted field paths. */
export function zodDetails(error: z.ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/**
 * The first string in a parsed JSON value (keys included) that holds a NUL (U+0000) or a lone
 * surrogate: PostgreSQL stores neither, so such text is refused at the edge rather than failing later.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findInvalidText(value: unknown, path = ''): ErrorDetail | null {
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [v, at] = pending.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: at, code: 'invalid_text', message: problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push([v[i], join(at, String(i))]);
    } else if (isPlainObject(v)) {
      for (const [key, inner] of Object.entries(v).reverse()) {
        const problem = textProblem(key);
        if (problem) return { path: join(at, key), code: 'invalid_text', message: `key: ${problem}` };
        pending.push([inner, join(at, key)]);
      }
    }
  }
  return null;
}

/** The query string's percent-encoding must be UTF-8; the parser would keep a broken one as literal text. */
export function findUndecodableQuery(url: string): ErrorDetail | null {
  const start = url.indexOf('?');
  if (start < 0) return null;
  try {
    decodeURIComponent(url.slice(start + 1));
    return null;
  } catch {
    return { path: 'query', code: 'invalid_text', message: 'percent-encoding that is not UTF-8' };
  }
}

function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

// With the u flag a well-formed pair is one code point, so only unpaired surrogates match.
const LONE_SURROGATE = /\p{Cs}/u;

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

// Parsed JSON, and Fastify's params and query (objects on a prototype without members); not a stream.
const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
};
