// Domain events for the outside world (SPEC N2). A module publishes in the same transaction as the
// change; whoever subscribes (the notifications module's webhooks) picks it up through a durable timer, so a lower
// module never calls a higher one and an event is never lost with a rolled-back change.
import type { Db } from './db';
import { withJsonAmounts } from './money';
import { type NewTimer, scheduleTimer } from './timers';

export type DomainEvent = {
  type: string;
  /** Unique per event: the same key published twice is one event. */
  key: string;
  sellerId: string | null;
  marketplaceId: string;
  /** Amounts as bigint minor units: they go out as JSON integers, like every amount the API sends. */
  data: Record<string, unknown>;
  at: Date;
};

export async function publishEvent(db: Db, e: DomainEvent): Promise<void> {
  const t = eventTimer(e);
  await scheduleTimer(db, t.kind, t.ref, t.dueAt, t.payload);
}

/** The timer that publishes an event, for a module that writes it within a larger statement. */
export function eventTimer(e: DomainEvent): NewTimer {
  return {
    kind: 'publish_event',
    ref: e.key,
    dueAt: e.at,
    payload: {
      type: e.type,
      key: e.key,
      sellerId: e.sellerId,
      marketplaceId: e.marketplaceId,
      data: withJsonAmounts(e.data),
      at: e.at.toISOString(),
    },
  };
}
