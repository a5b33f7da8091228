// The assistant's timers: a seller's answer to a product question the bot asked reaches the buyer's chat.
import { sql } from 'kysely';
import type { TimerHandlers } from '../../platform/timers';
import { isBotLanguage, renderDialogueText } from '../bot';
import { appendMessage } from '../conversations';
import { findProductPage } from '../marketplace';

export const assistantTimerHandlers: TimerHandlers = {
  async tell_product_answer(tx, payload, now) {
    const conversationId = String(payload.conversationId);
    const c = (
      await sql<{
        marketplace_id: string;
        language: string;
        owner_kind: string;
      }>`select marketplace_id, language,
        owner_kind from conversation where id = ${conversationId}::uuid`.execute(tx)
    ).rows[0];
    if (!c) return;
    const lang = isBotLanguage(c.language) ? c.language : 'en';
    const page = await findProductPage(tx, String(payload.productId), c.marketplace_id, lang, {
      kind: 'all',
    });
    const body = renderDialogueText(lang, 'product_answer_ready', {
      product: page?.title ?? '',
      answer: String(payload.answer),
    });
    // Once a person owns the chat the bot is silent: the answer comes as a notice, not from the bot.
    await appendMessage(
      tx,
      conversationId,
      { authorKind: c.owner_kind === 'bot' ? 'bot' : 'system', body },
      now,
    );
  },
};
