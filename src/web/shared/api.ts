import type { z } from 'zod';

// The one way pages talk to the API: same-origin fetch with the session cookie, the CSRF token the
// session gave on every write (identity/sessions.ts), or a buyer token as a bearer header.

export type ApiErrorDetail = { path: string; code: string; message: string };

/** An API answer that is not 2xx: its stable code (errors.ts) decides what the page says. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Credentials = { csrfToken: string | null; bearer: string | null };
const credentials: Credentials = { csrfToken: null, bearer: null };

/** After sign-in (or reading the session): writes then carry this token. */
export function setCsrfToken(token: string | null) {
  credentials.csrfToken = token;
}
/** The operator's signed buyer token (from the URL fragment or the widget), sent as a bearer header. */
export function setBearerToken(token: string | null) {
  credentials.bearer = token;
}
export const bearerToken = () => credentials.bearer;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Options<T> = { body?: unknown; schema?: z.ZodType<T>; headers?: Record<string, string> };

export async function request<T = unknown>(
  method: Method,
  path: string,
  options: Options<T> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && credentials.csrfToken) headers['x-csrf-token'] = credentials.csrfToken;
  if (credentials.bearer) headers.authorization = `Bearer ${credentials.bearer}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } })
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'internal',
      error?.message ?? response.statusText,
      error?.details ?? [],
    );
  }
  if (!options.schema) return json as T;
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) throw new ApiError(response.status, 'unexpected_response', parsed.error.message);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const api = {
  get: <T>(path: string, schema?: z.ZodType<T>) => request<T>('GET', path, { schema }),
  post: <T>(path: string, body: unknown = {}, schema?: z.ZodType<T>, headers?: Record<string, string>) =>
    request<T>('POST', path, { body, schema, headers }),
  put: <T>(path: string, body: unknown, schema?: z.ZodType<T>) => request<T>('PUT', path, { body, schema }),
  patch: <T>(path: string, body: unknown, schema?: z.ZodType<T>) =>
    request<T>('PATCH', path, { body, schema }),
  delete: (path: string) => request<void>('DELETE', path),
};

/** A query string from defined values only. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const s = search.toString();
  return s ? `?${s}` : '';
}
