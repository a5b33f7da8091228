// The one-tag widget for the operator's site:
//   <script src="{PUBLIC_URL}/widget.js" data-marketplace="IT" data-buyer-token="…" async></script>
// Optional: data-product="…" on a product's detail page (the bot answers from that page), data-language.
// A buyer token expires: the host page sets a new one in data-buyer-token (the chat goes on with it);
// the script element fires `onbehalf:token-refused` when the server refused the current one.
// A chat button and panel in a shadow root (the host page's CSS cannot reach in), holding an
// iframe of PUBLIC_URL/embed/chat (the host page's scripts cannot reach in). The token goes to the
// iframe by postMessage to PUBLIC_URL's origin only, once the iframe says it is ready.
import {
  TOKEN_REFUSED_EVENT,
  WIDGET_READY,
  WIDGET_TOKEN,
  WIDGET_TOKEN_REFUSED,
} from '../modules/conversations/widget-protocol';

const LABELS: Record<string, { open: string; close: string; title: string }> = {
  it: { open: 'Chatta con noi', close: 'Chiudi la chat', title: 'Chat del servizio clienti' },
  es: { open: 'Chatea con nosotros', close: 'Cerrar el chat', title: 'Chat de atención al cliente' },
  fr: { open: 'Discutez avec nous', close: 'Fermer le chat', title: 'Chat du service client' },
  de: { open: 'Chatten Sie mit uns', close: 'Chat schließen', title: 'Kundenservice-Chat' },
  en: { open: 'Chat with us', close: 'Close chat', title: 'Customer service chat' },
};

const STYLE = `
:host { all: initial; position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 16px; line-height: 1.4; }
.launcher { all: unset; box-sizing: border-box; cursor: pointer; display: inline-flex; align-items: center; gap: 8px;
  padding: 12px 18px; border-radius: 999px; background: #0b5cad; color: #fff; font: 600 16px/1.2 system-ui, sans-serif;
  box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.launcher:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.panel { box-sizing: border-box; position: absolute; right: 0; bottom: 60px; width: min(380px, calc(100vw - 32px));
  height: min(600px, calc(100vh - 100px)); background: #fff; border: 1px solid #c9d0d8; border-radius: 12px;
  box-shadow: 0 8px 30px rgba(0,0,0,.25); overflow: hidden; display: none; }
.panel.open { display: block; }
iframe { border: 0; width: 100%; height: 100%; display: block; }
`;

function start(script: HTMLScriptElement) {
  const marketplace = script.dataset.marketplace ?? '';
  const product = script.dataset.product ?? '';
  const base = new URL(script.src);
  const language = (script.dataset.language ?? document.documentElement.lang ?? 'en')
    .slice(0, 2)
    .toLowerCase();
  const labels = LABELS[language] ?? LABELS.en!;

  const host = document.createElement('div');
  host.setAttribute('data-onbehalf-widget', marketplace);
  const root = host.attachShadow({ mode: 'open' });
  // A constructed sheet is not inline markup: the host page's CSP does not need to allow it.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = STYLE;
    root.append(style);
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'launcher';
  button.textContent = labels.open;
  button.setAttribute('aria-expanded', 'false');
  const panel = document.createElement('div');
  panel.className = 'panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', labels.title);
  root.append(panel, button);

  let frame: HTMLIFrameElement | null = null;
  let frameReady = false;
  // Always the attribute's current value: the host page may have refreshed it since the tag loaded.
  const sendToken = () => {
    const token = script.dataset.buyerToken ?? '';
    if (frame && frameReady && token)
      frame.contentWindow?.postMessage({ type: WIDGET_TOKEN, token }, base.origin);
  };
  window.addEventListener('message', (event) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== base.origin) return;
    const type = (event.data as { type?: unknown })?.type;
    if (type === WIDGET_READY) {
      frameReady = true;
      sendToken();
    } else if (type === WIDGET_TOKEN_REFUSED) {
      script.dispatchEvent(new CustomEvent(TOKEN_REFUSED_EVENT, { bubbles: true }));
    }
  });
  new MutationObserver(sendToken).observe(script, {
    attributes: true,
    attributeFilter: ['data-buyer-token'],
  });

  button.addEventListener('click', () => {
    const open = !panel.classList.contains('open');
    if (open && !frame) {
      frame = document.createElement('iframe');
      frame.title = labels.title;
      const src = new URL('/embed/chat', base.origin);
      src.searchParams.set('marketplace', marketplace);
      src.searchParams.set('lang', language);
      if (product) src.searchParams.set('product', product);
      frame.src = src.toString();
      panel.append(frame);
    }
    panel.classList.toggle('open', open);
    button.textContent = open ? labels.close : labels.open;
    button.setAttribute('aria-expanded', String(open));
  });
  document.body.append(host);
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement) {
  if (document.body) start(current);
  else document.addEventListener('DOMContentLoaded', () => start(current));
}
