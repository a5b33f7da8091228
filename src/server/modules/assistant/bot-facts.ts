// The facts of a marketplace the bot reads at every message — the marketplace itself, its return policy
// and bot policy in force, the languages of its available agents — remembered for a few seconds per
// instance, so that a message does not spend four round trips on them (issue 16). Every instance
// LISTENs on `bot_facts_changed`, which migration 0061's triggers send at the commit of any change to
// them (by this service or by hand); each instance then forgets everything. A dated policy that comes
// into force later ends the remembered facts at that moment. While the LISTEN connection is down
// nothing is remembered, so a missed notice cannot keep an old policy alive. The LISTEN side is
// platform/change-notices.ts, shared with the credential cache.
import { listenForChanges } from '../../platform/change-notices';
import type { Db } from '../../platform/db';
import type { Logger } from '../../platform/log';
import { findMarketplace, type MarketplaceRow } from '../marketplace';
import { returnPolicyOf, returnPolicySpan } from '../returns';
import { availableAgentLanguages, type BotPolicy, botPolicyOf, botPolicySpan } from './assistant.repository';

export const BOT_FACTS_CHANNEL = 'bot_facts_changed';

export type MarketplaceFacts = {
  marketplace: MarketplaceRow;
  policy: Awaited<ReturnType<typeof returnPolicyOf>>;
  bot: BotPolicy;
  agentLanguages: string[];
};

/** The facts in force at `at`, read from the tables; undefined: no such marketplace. */
export async function readMarketplaceFacts(
  db: Db,
  marketplaceId: string,
  at: Date,
): Promise<MarketplaceFacts | undefined> {
  const marketplace = await findMarketplace(db, marketplaceId);
  if (!marketplace) return undefined;
  const [policy, agentLanguages, bot] = await Promise.all([
    returnPolicyOf(db, marketplace.id, at),
    availableAgentLanguages(db, marketplace.id),
    botPolicyOf(db, marketplace.id, at),
  ]);
  return { marketplace, policy, bot, agentLanguages };
}

export type BotFactsCache = {
  /** The facts in force at `at`: remembered, or read through `db` (and remembered unless a change came). */
  factsOf(db: Db, marketplaceId: string, at: Date): Promise<MarketplaceFacts | undefined>;
  /** Resolves once the LISTEN connection listens, or after `waitMs` (until then every message reads). */
  ready(waitMs?: number): Promise<void>;
  /** How many notices arrived: lets a test wait for one without sleeping. */
  notices(): number;
  close(): Promise<void>;
};

export function startBotFactsCache(
  databaseUrl: string,
  log: Logger,
  { ttlMs = 10_000, retryMs = 1000 } = {},
): BotFactsCache {
  /** Per marketplace: the facts, the span of `at` they hold for, and when they are read again anyway. */
  const entries = new Map<
    string,
    { facts: MarketplaceFacts; from: number; until: number; expires: number }
  >();
  const changes = listenForChanges(databaseUrl, BOT_FACTS_CHANNEL, log, {
    name: 'bot facts cache',
    applicationName: 'onbehalf-bot-facts',
    meanwhile: 'reading at every message',
    onForget: () => entries.clear(),
    retryMs,
  });

  return {
    async factsOf(db, marketplaceId, at) {
      const t = at.getTime();
      const entry = changes.listening() ? entries.get(marketplaceId) : undefined;
      if (entry && entry.from <= t && t < entry.until && Date.now() < entry.expires) return entry.facts;
      const before = changes.generation();
      const [facts, returnSpan, botSpan] = await Promise.all([
        readMarketplaceFacts(db, marketplaceId, at),
        returnPolicySpan(db, marketplaceId, at),
        botPolicySpan(db, marketplaceId, at),
      ]);
      if (facts && changes.listening() && changes.generation() === before) {
        // The facts hold for any moment between the policies' latest dates and their next ones.
        const time = (d: Date | null, none: number) => (d ? d.getTime() : none);
        const from = Math.max(time(returnSpan.since, 0), time(botSpan.since, 0));
        const until = Math.min(
          time(returnSpan.until, Number.POSITIVE_INFINITY),
          time(botSpan.until, Number.POSITIVE_INFINITY),
        );
        entries.set(marketplaceId, { facts, from, until, expires: Date.now() + ttlMs });
      }
      return facts;
    },
    ready: changes.ready,
    notices: changes.notices,
    close: changes.close,
  };
}
