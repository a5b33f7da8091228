// Signed reply-to addresses: `reply+<kind>.<id>.<mac>@domain`. Only this platform can make one, so
// a reply to it can be trusted to belong to that case or request; forged tokens are refused.
import { createHmac, timingSafeEqual } from 'node:crypto';

const mac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('base64url').slice(0, 22);

export function signReplyToken(secret: string, kind: string, id: string): string {
  const body = `${kind}.${id}`;
  return `${body}.${mac(secret, body)}`;
}

export function verifyReplyToken(secret: string, token: string): { kind: string; id: string } | null {
  const m = /^([a-z_]+)\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(mac(secret, `${m[1]}.${m[2]}`));
  const given = Buffer.from(m[3]!);
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { kind: m[1]!, id: m[2]! }
    : null;
}

export const replyAddress = (secret: string, domain: string, kind: string, id: string) =>
  `reply+${signReplyToken(secret, kind, id)}@${domain}`;

/** The token of a reply address (`reply+TOKEN@…`), or null. */
export const tokenOf = (address: string) => /^reply\+([^@]+)@/i.exec(address.trim())?.[1] ?? null;
