// Signed webhooks (SPEC N2). Modules publish domain events (platform/events.ts); each event is stored
// once and fanned out to the subscriptions that want it. A deliverer, apart from the timer sweeper so a
// slow endpoint never delays an SLA clock, leases due deliveries, POSTs each signed with HMAC-SHA256 over
// "timestamp.body" outside any transaction, and records the result, retrying with exponential backoff.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import type { Logger } from '../../platform/log';
import { startPoller } from '../../platform/poller';
import type { TimerHandlers } from '../../platform/timers';

export const webhookEventTypes = [
  'return.authorised',
  'concession.decided',
  'ledger.posted',
  'claim.updated',
  'order.cancelled',
  'order.address_changed',
] as const;
export const MAX_ATTEMPTS = 10;
const TIMEOUT_MS = 10_000;
// A leased delivery whose process died is due again after this long (receivers dedupe on the delivery id).
const LEASE_MS = 60_000;

/** Pure: the signature header value for a body sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Pure: what a receiver checks — the signature matches and the timestamp is recent (replays refused). */
export function verifyWebhook(
  secret: string,
  header: { timestamp: string; signature: string },
  body: string,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  const ts = Number(header.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Whether endpoints on loopback or private networks may be called (development and tests only). */
export type WebhookTargets = { allowPrivate: boolean };

// Addresses a webhook must never reach: they lead to this host or to the operator's internal
// network. IPv4 rules also match IPv4-mapped IPv6 addresses (::ffff:10.0.0.1).
const internalAddresses = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3], // multicast, reserved, broadcast
] as const)
  internalAddresses.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  // Prefixes that carry an IPv4 address inside (NAT64, 6to4, Teredo): they can lead to 127.0.0.1 or
  // the private network, and no public webhook receiver needs them.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
  ['2001::', 32],
] as const)
  internalAddresses.addSubnet(network, prefix, 'ipv6');

/** Pure: whether an IP address is loopback, private, link-local or otherwise not a public host. */
export const isInternalAddress = (address: string): boolean =>
  internalAddresses.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * Why a webhook may not be sent to this URL, or null when it may: http(s) only, and unless
 * private targets are allowed, every address its host resolves to must be public. Checked when
 * subscribing and again before each delivery, since DNS can change.
 */
export async function webhookTargetRefusal(url: string, targets: WebhookTargets): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'only http and https are allowed';
  if (targets.allowPrivate) return null;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        () => [],
      );
  if (addresses.length === 0) return `${host} does not resolve`;
  const internal = addresses.find(isInternalAddress);
  if (internal)
    return host === internal
      ? `${host} is a loopback, private or link-local address`
      : `${host} resolves to ${internal}, a loopback, private or link-local address`;
  return null;
}

/** Pure: wait before attempt n+1 after n failures — 30 s doubling, at most 6 h. */
export const retryDelayMs = (failures: number): number =>
  Math.min(30_000 * 2 ** (failures - 1), 6 * 3_600_000);

export async function createSubscription(
  db: Db,
  s: { url: string; eventTypes: readonly string[]; marketplaceId: string | null },
) {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const r = await sql<{
    id: string;
  }>`insert into webhook_subscription (url, secret, event_types, marketplace_id)
    values (${s.url}, ${secret}, ${[...new Set(s.eventTypes)]}::text[], ${s.marketplaceId}) returning id`.execute(
    db,
  );
  return { id: r.rows[0]!.id, secret };
}

export async function listSubscriptions(db: Db) {
  const r = await sql<{
    id: string;
    url: string;
    event_types: string[];
    marketplace_id: string | null;
    active: boolean;
    created_at: Date;
  }>`select id, url, event_types, marketplace_id, active, created_at from webhook_subscription order by created_at`.execute(
    db,
  );
  return r.rows;
}

export async function deactivateSubscription(db: Db, id: string) {
  const r =
    await sql`update webhook_subscription set active = false where id = ${id}::uuid and active`.execute(db);
  if ((r.numAffectedRows ?? 0n) === 0n) throw notFound('Active webhook subscription');
}

export async function listDeliveries(db: Db, subscriptionId: string) {
  const exists = await sql`select 1 from webhook_subscription where id = ${subscriptionId}::uuid`.execute(db);
  if (exists.rows.length === 0) throw notFound('Webhook subscription');
  const r = await sql<{
    id: string;
    event_key: string;
    type: string;
    status: string;
    attempts: number;
    next_attempt_at: Date | null;
    last_status: number | null;
    last_error: string | null;
    delivered_at: Date | null;
  }>`select d.id, d.event_key, e.type, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.delivered_at
    from webhook_delivery d join webhook_event e on e.key = d.event_key where d.subscription_id = ${subscriptionId}::uuid
    order by e.occurred_at desc, d.id limit 500`.execute(db);
  return r.rows;
}

/** An operator sends a failed delivery again (after fixing the endpoint). */
export async function retryDelivery(db: Db, subscriptionId: string, deliveryId: string, now: Date) {
  const r = await sql`update webhook_delivery set status = 'pending', next_attempt_at = ${now}
    where id = ${deliveryId}::uuid and subscription_id = ${subscriptionId}::uuid and status = 'failed'`.execute(
    db,
  );
  if ((r.numAffectedRows ?? 0n) === 0n) throw notFound('Failed delivery');
}

type Delivery = {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  type: string;
  key: string;
  seller_id: string | null;
  marketplace_id: string;
  data: Record<string, unknown>;
  occurred_at: Date;
};

async function attempt(
  d: Delivery,
  now: Date,
  targets: WebhookTargets,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const refusal = await webhookTargetRefusal(d.url, targets);
  if (refusal) return { ok: false, status: null, error: `not sent: ${refusal}` };
  const body = JSON.stringify({
    id: d.id,
    type: d.type,
    occurredAt: d.occurred_at.toISOString(),
    marketplace: d.marketplace_id,
    sellerId: d.seller_id,
    data: d.data,
  });
  const timestamp = Math.floor(now.getTime() / 1000);
  try {
    const res = await fetch(d.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Onbehalf-Webhooks/1',
        'onbehalf-delivery': d.id,
        'onbehalf-event': d.type,
        'onbehalf-timestamp': String(timestamp),
        'onbehalf-signature': signWebhook(d.secret, timestamp, body),
      },
      body,
    });
    await res.body?.cancel();
    return {
      ok: res.status >= 200 && res.status < 300,
      status: res.status,
      error: res.ok ? null : `HTTP ${res.status}`,
    };
  } catch (error) {
    return { ok: false, status: null, error: (error as Error).message.slice(0, 500) };
  }
}

export const webhookTimerHandlers: TimerHandlers = {
  /** Stores an event once and opens a delivery, due now, for each subscription that wants it. */
  async publish_event(tx, p, now) {
    const inserted =
      await sql`insert into webhook_event (key, type, seller_id, marketplace_id, data, occurred_at)
      values (${String(p.key)}, ${String(p.type)}, ${(p.sellerId as string | null) ?? null}, ${String(p.marketplaceId)},
        ${JSON.stringify(p.data ?? {})}::jsonb, ${String(p.at ?? now.toISOString())}) on conflict (key) do nothing`.execute(
        tx,
      );
    if ((inserted.numAffectedRows ?? 0n) === 0n) return;
    await sql`insert into webhook_delivery (subscription_id, event_key, status, next_attempt_at)
      select s.id, ${String(p.key)}, 'pending', ${now} from webhook_subscription s
      where s.active and ${String(p.type)} = any (s.event_types) and (s.marketplace_id is null or s.marketplace_id = ${String(p.marketplaceId)})
      on conflict do nothing`.execute(tx);
  },
};

/**
 * One round of deliveries due at `now` (at most `limit`, side by side): lease them in a short
 * transaction, call the endpoints outside it, then record each result. Returns how many were tried.
 */
export async function deliverDueWebhooks(
  db: Db,
  now: Date,
  targets: WebhookTargets,
  limit = 20,
): Promise<number> {
  const due = await db.transaction().execute(
    async (tx) =>
      (
        await sql<Delivery>`with leased as (
          update webhook_delivery set next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}
          where id in (select d.id from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
            where d.status = 'pending' and d.next_attempt_at <= ${now} and s.active
            order by d.next_attempt_at limit ${limit} for update of d skip locked)
          returning id, attempts, subscription_id, event_key)
        select l.id, l.attempts, s.url, s.secret, e.type, e.key, e.seller_id, e.marketplace_id, e.data, e.occurred_at
        from leased l join webhook_subscription s on s.id = l.subscription_id join webhook_event e on e.key = l.event_key`.execute(
          tx,
        )
      ).rows,
  );
  await Promise.all(
    due.map(async (d) => {
      const result = await attempt(d, now, targets);
      const attempts = d.attempts + 1;
      const next =
        result.ok || attempts >= MAX_ATTEMPTS ? null : new Date(now.getTime() + retryDelayMs(attempts));
      const status = result.ok ? 'delivered' : next ? 'pending' : 'failed';
      await sql`update webhook_delivery set status = ${status}, attempts = ${attempts}, last_status = ${result.status},
        last_error = ${result.error}, next_attempt_at = ${next}, delivered_at = ${result.ok ? now : null}
        where id = ${d.id}::uuid`.execute(db);
    }),
  );
  return due.length;
}

/** Delivers due webhooks every `intervalMs` until stopped. */
export function startWebhookDeliverer(db: Db, log: Logger, targets: WebhookTargets, intervalMs = 1000) {
  const round = async () => {
    while ((await deliverDueWebhooks(db, new Date(), targets)) > 0);
  };
  return startPoller('webhook delivery round', round, log, intervalMs);
}
