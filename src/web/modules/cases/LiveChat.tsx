import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientFrame, ServerFrame } from '../../../contracts/chat';
import { useCodeText } from '../../shared/errors';

type Line = { seq: number; from: string; authorName: string | null; text: string; at: string };

/**
 * A live chat over the chat socket (frames of src/contracts/chat.ts): the agent who owns it writes and is
 * shown typing; a supervisor watches (hello with the conversation) and may take it over.
 */
export function LiveChat({
  conversationId,
  viewer,
}: {
  conversationId: string;
  viewer: 'agent' | 'supervisor';
}) {
  const { t } = useTranslation('cases');
  const codeText = useCodeText();
  const [lines, setLines] = useState<Line[]>([]);
  const [typing, setTyping] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [mayWrite, setMayWrite] = useState(viewer === 'agent');
  // Kept as keys and codes, put into words when shown: a language switch changes them too.
  const [notice, setNotice] = useState<string | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const lastTyping = useRef(0);

  useEffect(() => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/chat/socket`;
    const ws = new WebSocket(url);
    socket.current = ws;
    const send = (f: ClientFrame) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(f));
    ws.onopen = () => send({ type: 'hello', conversationId, lastSeq: 0 });
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as ServerFrame;
      if (frame.type === 'message' && frame.conversationId === conversationId) {
        setLines((old) =>
          old.some((l) => l.seq === frame.seq) ? old : [...old, frame].sort((a, b) => a.seq - b.seq),
        );
        setTyping(null);
      } else if (
        frame.type === 'typing' &&
        frame.conversationId === conversationId &&
        frame.from === 'buyer'
      ) {
        setTyping(frame.authorName ?? '');
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => setTyping(null), 5000);
      } else if (frame.type === 'released' && frame.conversationId === conversationId) {
        setMayWrite(false);
        setNotice(`chatReleased_${frame.reason}`);
      } else if (frame.type === 'error') setErrorCode(frame.code);
    };
    return () => {
      clearTimeout(typingTimer);
      ws.close();
    };
  }, [conversationId]);

  const sendFrame = (f: ClientFrame) => socket.current?.send(JSON.stringify(f));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    sendFrame({ type: 'message', conversationId, clientMessageId: crypto.randomUUID(), text: text.trim() });
    setText('');
  };
  const onType = (value: string) => {
    setText(value);
    // One typing frame every few seconds is enough for the buyer's indicator.
    if (Date.now() - lastTyping.current > 3000) {
      lastTyping.current = Date.now();
      sendFrame({ type: 'typing', conversationId });
    }
  };

  return (
    <section aria-labelledby={`chat-${conversationId}`} className="live-chat">
      <h3 id={`chat-${conversationId}`}>{t('liveChat')}</h3>
      <ol className="messages" aria-live="polite">
        {lines.map((l) => (
          <li key={l.seq} className={`message from-${l.from}`}>
            <p className="message-meta">
              {l.authorName ?? t(`author_${l.from === 'system' ? 'bot' : l.from}`)}
            </p>
            <p className="message-body">{l.text}</p>
          </li>
        ))}
      </ol>
      <p aria-live="polite" className="hint">
        {typing !== null ? t('typing', { name: typing || t('author_buyer') }) : ''}
      </p>
      {notice ? <p role="status">{t('chatNotice', { notice: t(notice) })}</p> : null}
      {errorCode ? <p role="alert">{t('chatNotice', { notice: codeText(errorCode) })}</p> : null}
      {mayWrite ? (
        <form onSubmit={submit}>
          <label htmlFor={`chat-text-${conversationId}`}>{t('chatMessage')}</label>
          <textarea
            id={`chat-text-${conversationId}`}
            rows={2}
            value={text}
            onChange={(e) => onType(e.target.value)}
          />
          <button type="submit" className="button primary">
            {t('send')}
          </button>
        </form>
      ) : viewer === 'supervisor' ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            sendFrame({ type: 'take_over', conversationId });
            setMayWrite(true);
          }}
        >
          {t('takeOver')}
        </button>
      ) : null}
    </section>
  );
}
