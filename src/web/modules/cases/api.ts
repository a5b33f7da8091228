// The console's calls to the API. Until the foundation's shared client is wired in, a small fetch
// wrapper: the session cookie goes by itself; writes echo the session's CSRF token.
let csrfToken: string | null = null;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function csrf(): Promise<string | null> {
  if (csrfToken !== null) return csrfToken;
  const res = await fetch('/api/v1/auth/session', { credentials: 'same-origin' });
  if (res.ok) csrfToken = ((await res.json()) as { csrfToken: string | null }).csrfToken;
  return csrfToken;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = await csrf();
    if (token) h['x-csrf-token'] = token;
  }
  const res = await fetch(url, {
    method,
    headers: h,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!res.ok)
    throw new ApiError(res.status, json.error?.code ?? 'internal', json.error?.message ?? res.statusText);
  return json as T;
}

export const idempotencyKey = () => `console-${crypto.randomUUID()}`;

/** Moves to another page of the single-page app: the router listens for popstate. */
export function go(path: string) {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export type QueueCase = {
  caseNumber: string;
  marketplace: string;
  language: string;
  channel: 'chat' | 'email' | 'phone';
  topic: string;
  queue: string;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  openedAt: string | null;
};

export type CaseDetail = QueueCase & {
  id: string;
  status: string;
  owner: { kind: string; name: string | null } | null;
  routingReason: string;
  escalationReason: string | null;
  messages: { author: string; channel: string; body: string; sentAt: string }[];
  events: { kind: string; actor: string; data: Record<string, unknown>; at: string }[];
};

export type SearchHit = {
  caseNumber: string;
  status: string;
  marketplace: string;
  language: string;
  channel: 'chat' | 'email' | 'phone';
  queue: string;
  topic: string;
  owner: { kind: string; name: string | null } | null;
  buyerName: string | null;
  orderNumber: string | null;
  dueAt: string | null;
  openedAt: string;
  conversationId: string | null;
};

export type Money = { amount: number; currency: string };
export type OrderDetail = {
  externalId: string;
  orderTotal: Money;
  lines: {
    lineNo: number;
    productExternalId: string;
    sku: string;
    title: string | null;
    units: number;
    unitPrice: Money;
    lineTotal: Money;
  }[];
  shipments: {
    id: string;
    carrier: string;
    trackingNumber: string | null;
    hasValidTracking: boolean;
    deliveredAt: string | null;
    events: { code: string; occurredAt: string; location: string | null; detail: string | null }[];
  }[];
  returns: {
    id: string;
    reason: string;
    authorisation: string;
    requestedAt: string;
    refundedAt: string | null;
  }[];
};
export type ProductPage = { title: string; bulletPoints: string[]; description: string; language: string };
export type SavedReply = { id: string; title: string; language: string; body: string };
