import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../shared/api';
import { isWebLanguage } from '../../shared/languages';
import { useLocation } from '../../shared/router';
import { ChatPanel } from './chat-panel';
import { WIDGET_READY, WIDGET_TOKEN, WIDGET_TOKEN_REFUSED } from './widget-protocol';

const widgetSettings = z.object({ marketplace: z.string(), origins: z.array(z.string()) });

/**
 * `/embed/chat?marketplace=IT&lang=it[&product=…]`: the chat inside the widget's iframe. Its CSP lets
 * only the marketplace's sites frame it, and it takes the buyer token only from its parent window, from
 * one of those origins, by postMessage — never from its URL. A later token replaces the first (the host
 * page refreshed it); when the server refuses the token, the parent is told, at the origin it came from.
 */
export function EmbedChatPage() {
  const { t, i18n } = useTranslation('conversations');
  const { search } = useLocation();
  const marketplace = search.get('marketplace') ?? '';
  const product = search.get('product') ?? undefined;
  const [token, setToken] = useState<string | null>(null);
  const [parentOrigin, setParentOrigin] = useState<string | null>(null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    if (window.parent === window) return setRefused(true);
    let allowed: string[] = [];
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || !allowed.includes(event.origin)) return;
      const data = event.data as { type?: unknown; token?: unknown };
      if (data?.type === WIDGET_TOKEN && typeof data.token === 'string' && data.token.length > 0) {
        setToken(data.token);
        setParentOrigin(event.origin);
      }
    };
    window.addEventListener('message', onMessage);
    api.get(`/api/v1/help/${encodeURIComponent(marketplace)}/widget`, widgetSettings).then(
      (settings) => {
        allowed = settings.origins;
        // Nothing secret in "ready": any parent may hear it; only an allowed one is listened to.
        window.parent.postMessage({ type: WIDGET_READY }, '*');
      },
      () => setRefused(true),
    );
    return () => window.removeEventListener('message', onMessage);
  }, [marketplace]);

  const language = isWebLanguage(search.get('lang')) ? (search.get('lang') as string) : i18n.language;
  return (
    <main className="embed-chat" id="main">
      <h1 className="visually-hidden">{t('title')}</h1>
      {refused && <p role="alert">{t('refused')}</p>}
      {!refused && !token && <p role="status">{t('connecting')}</p>}
      {token && (
        <ChatPanel
          marketplace={marketplace}
          language={language}
          token={token}
          productId={product}
          onTokenRefused={() => {
            if (parentOrigin) window.parent.postMessage({ type: WIDGET_TOKEN_REFUSED }, parentOrigin);
          }}
        />
      )}
    </main>
  );
}
