// The reads of an intake in one statement give what each module's own read gives: the marketplace's
// facts, the seller's enrolment at the contact's instant (trial, active, withdrawn, enrolled again) and
// the SLA targets in force — and routing then decides on them as before.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { twoSellers } from '../../../../test/helpers/fixtures';
import { contactFacts } from '../marketplace';
import { contactStatusAt, enrol, sellerStatusAt, withdraw } from '../programs';
import { DEFAULT_SLA } from './case-rules';
import { insertSlaPolicy, intakeReads, slaTargets } from './cases.repository';
import { receiveContact } from './contacts';

const t = await testApp();
const at = (iso: string) => new Date(iso);
let sellerB: string;

beforeAll(async () => {
  await t.seed(twoSellers());
  sellerB = (await sql<{ id: string }>`select id from seller where external_id = 'S-B'`.execute(t.db))
    .rows[0]!.id;
  // Enrolled on 1 March (a trial follows), withdrawn on 1 September, enrolled again on 1 November.
  await t.db.transaction().execute((tx) => enrol(tx, sellerB, 'IT', 'seller', at('2026-03-01T00:00:00Z')));
  await t.db.transaction().execute((tx) => withdraw(tx, sellerB, 'IT', at('2026-09-01T00:00:00Z')));
  await t.db.transaction().execute((tx) => enrol(tx, sellerB, 'IT', 'seller', at('2026-11-01T00:00:00Z')));
  await insertSlaPolicy(t.db, 'IT', 'email', at('2026-06-01T00:00:00Z'), {
    firstResponseMinutes: 600,
    nextResponseMinutes: 300,
    warningPercent: 70,
  });
});

describe('the intake reads in one statement', () => {
  it('match each module’s own read at every instant of the seller’s enrolment history', async () => {
    const instants = ['2026-02-01', '2026-03-02', '2026-07-01', '2026-10-01', '2026-11-02'].map((d) =>
      at(`${d}T12:00:00Z`),
    );
    const statuses = [];
    for (const when of instants) {
      for (const channel of ['chat', 'email'] as const) {
        const one = await intakeReads(t.db, {
          marketplaceId: 'IT',
          orderRef: 'O-B',
          buyerId: null,
          channel,
          at: when,
        });
        expect(one.facts).toEqual(await contactFacts(t.db, 'IT', 'O-B', null));
        expect(one.sla).toEqual(await slaTargets(t.db, 'IT', channel, when));
        const status = contactStatusAt(one.periods, when);
        expect(status).toBe(await sellerStatusAt(t.db, sellerB, 'IT', when));
        statuses.push(status);
      }
    }
    // Both kinds of each: the comparison above covered every status and both SLA sources.
    expect([...new Set(statuses)]).toEqual(['not_enrolled', 'trial', 'active', 'withdrawn']);
    const july = await intakeReads(t.db, {
      marketplaceId: 'IT',
      orderRef: null,
      buyerId: null,
      channel: 'email',
      at: instants[2]!,
    });
    expect(july.sla.firstResponseMinutes).toBe(600);
    expect(july.periods).toEqual([]);
    const before = await intakeReads(t.db, {
      marketplaceId: 'IT',
      orderRef: null,
      buyerId: null,
      channel: 'email',
      at: instants[0]!,
    });
    expect(before.sla).toEqual(DEFAULT_SLA.email);
  });

  it('routes a contact by the enrolment at its instant', async () => {
    const send = (when: string) =>
      receiveContact(t.db, {
        idempotency: null,
        marketplaceId: 'IT',
        channel: 'chat',
        sender: 'buyer',
        buyerId: null,
        sellerId: null,
        orderRef: 'O-B',
        topic: 'order_status',
        language: null,
        body: 'Where is my parcel?',
        caseNumber: null,
        at: at(when),
      });
    expect((await send('2026-10-01T12:00:00Z')).reason).toBe('seller_withdrawn');
    expect((await send('2026-03-02T12:00:00Z')).reason).toBe('trial_seller_fulfilled');
  });
});
