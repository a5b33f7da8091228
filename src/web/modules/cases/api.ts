// The console's calls to the API, through the foundation's client (session cookie, CSRF token on writes).
import { ApiError, request } from '../../shared/api';
import { navigate } from '../../shared/router';

export { ApiError };

export function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  return request<T>(method, url, {
    body: body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}),
    headers,
  });
}

export const idempotencyKey = () => `console-${crypto.randomUUID()}`;

export const go = (path: string) => navigate(path);

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
export type Attachment = {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  from: string;
  subject: string;
  receivedAt: string;
};
