import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { type HelpCenterView, helpCenterView } from '../../../contracts/help-center';
import { ApiError, api, bearerToken, query } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { formatDate, formatDateTime, formatMoney } from '../../shared/format';
import { Button } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { Link, Redirect, useLocation } from '../../shared/router';
import { DataTable } from '../../shared/table';
import { useApi } from '../../shared/use-api';
import { ChatPanel } from '../conversations/chat-panel';

// Contact Us (SPEC C1): the buyer's recent orders with their state, the ways to reach the
// marketplace, the chat, and past conversations with their transcripts.

const marketplaces = z.array(z.object({ id: z.string(), name: z.string() }).passthrough());

const buyerOrders = z.array(z.object({ marketplace: z.string() }).passthrough());

/**
 * `/help`: the shops there are, each to its own Contact Us. A buyer whose orders are all in one shop
 * goes straight to that shop's Contact Us, as a buyer who clicked "Contact us" there would; that page
 * links back here with `?all` (every shop, e.g. to ask one before ordering).
 */
export function HelpIndexPage() {
  const { t } = useTranslation('help-center');
  const list = useApi(() => api.get('/api/v1/marketplaces', marketplaces), []);
  const orders = useApi(() => api.get('/api/v1/orders?limit=200', buyerOrders), []);
  const shops = new Set(orders.data?.map((o) => o.marketplace));
  const { search } = useLocation();
  if (shops.size === 1 && !search.has('all')) {
    const rest = search.toString();
    return <Redirect to={`/help/${encodeURIComponent([...shops][0]!)}${rest ? `?${rest}` : ''}`} />;
  }
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      <ErrorMessage error={list.error} />
      {list.data && !orders.loading && (
        <nav aria-label={t('chooseMarketplace')}>
          <h2>{t('chooseMarketplace')}</h2>
          <ul>
            {list.data.map((m) => (
              <li key={m.id}>
                <Link href={`/help/${encodeURIComponent(m.id)}`}>{m.name}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </Page>
  );
}

export function HelpPage({ params }: { params: Record<string, string> }) {
  const { t, i18n } = useTranslation('help-center');
  const marketplace = params.marketplace ?? '';
  const help = useApi(
    () =>
      api.get(
        `/api/v1/help/${encodeURIComponent(marketplace)}${query({ language: i18n.language })}`,
        helpCenterView,
      ),
    [marketplace, i18n.language],
  );
  // `?product=…`: a link from a product's detail page opens the chat about that product at once.
  const product = useLocation().search.get('product') ?? undefined;
  const [chat, setChat] = useState<{ orderId?: string; productId?: string; round: number } | null>(
    product ? { productId: product, round: 0 } : null,
  );
  const view = help.data;
  const language = view?.marketplace.languages.includes(i18n.language)
    ? i18n.language
    : view?.marketplace.defaultLanguage;

  return (
    <Page title={view ? `${t('title')} · ${view.marketplace.name}` : t('title')}>
      <p>
        {t('intro')} <Link href="/help?all">{t('otherShops')}</Link>
      </p>
      <ErrorMessage error={help.error} />
      {view && (
        <>
          <Channels view={view} onChat={() => setChat({ round: (chat?.round ?? 0) + 1 })} />
          {chat && language && (
            <ChatPanel
              key={`${chat.orderId ?? ''}-${chat.round}`}
              marketplace={view.marketplace.id}
              language={language}
              orderId={chat.orderId}
              productId={chat.productId}
              token={bearerToken()}
              onClose={() => setChat(null)}
            />
          )}
          <h2>{t('ordersTitle')}</h2>
          <DataTable
            caption={t('ordersTitle')}
            captionHidden
            rows={view.orders}
            rowKey={(o) => o.externalId}
            empty={t('noOrders')}
            columns={[
              { header: t('order'), cell: (o) => o.externalId },
              {
                header: t('item'),
                cell: (o) =>
                  o.title && o.itemCount > 1
                    ? t('moreItems', { title: o.title, count: o.itemCount })
                    : (o.title ?? '—'),
              },
              { header: t('orderedAt'), cell: (o) => formatDate(o.orderedAt) },
              {
                header: t('state'),
                cell: (o) => <span className={`state state-${o.state}`}>{t(`state.${o.state}`)}</span>,
              },
              {
                header: t('total'),
                numeric: true,
                cell: (o) => formatMoney(o.total.amount, o.total.currency),
              },
              {
                header: t('action'),
                cell: (o) => (
                  <Button
                    variant="secondary"
                    onClick={() => setChat({ orderId: o.externalId, round: (chat?.round ?? 0) + 1 })}
                  >
                    {t('chatAboutOrder', { order: o.externalId })}
                  </Button>
                ),
              },
            ]}
          />
          <Conversations marketplace={view.marketplace.id} />
        </>
      )}
    </Page>
  );
}

function Channels({ view, onChat }: { view: HelpCenterView; onChat: () => void }) {
  const { t, i18n } = useTranslation('help-center');
  const hours = view.channels.phoneHours;
  const dayName = (iso: number) =>
    // 2024-01-01 was a Monday: ISO weekday n is 2024-01-0n.
    new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, iso)),
    );
  return (
    <section aria-labelledby="ways-title">
      <h2 id="ways-title">{t('waysTitle')}</h2>
      <ul className="channels">
        <li>
          <h3>{t('chatChannel')}</h3>
          <p>{t('chatText')}</p>
          <Button onClick={onChat}>{t('chatNow')}</Button>
        </li>
        <li>
          <h3>{t('emailChannel')}</h3>
          <p>{t('emailText')}</p>
          <a href={`mailto:${view.channels.email}`}>{view.channels.email}</a>
        </li>
        {view.channels.phone && (
          <li>
            <h3>{t('phoneChannel')}</h3>
            <p>
              <a href={`tel:${view.channels.phone.replace(/[^+0-9]/g, '')}`}>{view.channels.phone}</a>
            </p>
            {hours && (
              <p>
                {t('phoneHours', {
                  days: new Intl.ListFormat(i18n.language, { style: 'short' }).format(
                    hours.days.map(dayName),
                  ),
                  opens: hours.opens,
                  closes: hours.closes,
                })}
              </p>
            )}
          </li>
        )}
      </ul>
    </section>
  );
}

// The buyer's conversations API of the conversations module (docs/chat.md).
const conversationList = z.object({
  conversations: z.array(
    z.object({
      id: z.string(),
      marketplace: z.string(),
      language: z.string(),
      startedAt: z.string(),
      lastMessageAt: z.string().nullable(),
      caseNumber: z.string().nullable(),
      caseStatus: z.string().nullable(),
      owner: z.string(),
    }),
  ),
});
const conversationDetail = z.object({
  messages: z.array(
    z.object({
      seq: z.number(),
      from: z.string(),
      authorName: z.string().nullable(),
      text: z.string(),
      at: z.string(),
    }),
  ),
});

function Conversations({ marketplace }: { marketplace: string }) {
  const { t } = useTranslation('help-center');
  const list = useApi(
    () =>
      api
        .get(`/api/v1/buyer/conversations${query({ marketplace })}`, conversationList)
        // Until the conversations API is there, the page simply has none to show.
        .catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return { conversations: [] };
          throw error;
        }),
    [marketplace],
  );
  return (
    <section aria-labelledby="conversations-title">
      <h2 id="conversations-title">{t('conversationsTitle')}</h2>
      <ErrorMessage error={list.error} />
      {list.data &&
        (list.data.conversations.length === 0 ? (
          <p>{t('noConversations')}</p>
        ) : (
          <ul className="conversations">
            {list.data.conversations.map((c) => (
              <ConversationItem key={c.id} conversation={c} />
            ))}
          </ul>
        ))}
    </section>
  );
}

function ConversationItem({
  conversation,
}: {
  conversation: z.infer<typeof conversationList>['conversations'][number];
}) {
  const { t } = useTranslation('help-center');
  const chatTexts = useTranslation('conversations').t;
  const authorOf = (from: string) =>
    chatTexts(
      from === 'buyer' ? 'you' : from === 'bot' ? 'assistant' : from === 'agent' ? 'agent' : 'notice',
    );
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [messages, setMessages] = useState<z.infer<typeof conversationDetail>['messages'] | null>(null);
  const toggle = async () => {
    setOpen(!open);
    if (!messages)
      await api
        .get(`/api/v1/buyer/conversations/${encodeURIComponent(conversation.id)}`, conversationDetail)
        .then((d) => setMessages(d.messages), setError);
  };
  const email = () =>
    api
      .post(`/api/v1/buyer/conversations/${encodeURIComponent(conversation.id)}/transcript-email`)
      .then(() => setSent(true), setError);
  return (
    <li>
      <p>
        {t('startedAt')} {formatDateTime(conversation.startedAt)}
        {conversation.caseNumber && ` · ${t('caseNumber')} ${conversation.caseNumber}`}
        {conversation.caseStatus && ` · ${t('caseStatus')}: ${conversation.caseStatus}`}
      </p>
      <Button variant="secondary" aria-expanded={open} onClick={() => void toggle()}>
        {open ? t('hideTranscript') : t('showTranscript')}
      </Button>{' '}
      <Button variant="secondary" onClick={() => void email()} disabled={sent}>
        {t('emailTranscript')}
      </Button>
      {sent && <p role="status">{t('transcriptSent')}</p>}
      <ErrorMessage error={error} />
      {open && messages && (
        <ol className="transcript">
          {messages.map((m) => (
            <li key={m.seq}>
              <p>
                <strong>{m.authorName ?? authorOf(m.from)}</strong> ({formatDateTime(m.at)}): {m.text}
              </p>
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}
