import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';
import { useErrorText } from '../../shared/errors';
import { formatTime } from '../../shared/format';
import { Button } from '../../shared/forms';
import { ChatConnection, type ChatMessage, type ChatOptions, type ChatState } from './chat-connection';

/** The chat: messages (as text, never markup), the bot's buttons, typing, hand-off, notices, rating. */
export function ChatPanel(props: ChatOptions & { onClose?: () => void }) {
  const { t } = useTranslation('conversations');
  const errorText = useErrorText();
  // One connection per chat, made when it opens (a new chat is a new component: give it a new key).
  const [connection] = useState(() => new ChatConnection(props));
  const [state, setState] = useState<ChatState>(connection.state);
  const [draft, setDraft] = useState('');
  const logRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const off = connection.subscribe(setState);
    connection.connect();
    return () => {
      off();
      connection.close();
    };
  }, [connection]);

  // The operator's page refreshed the buyer token: use it from now on.
  useEffect(() => {
    if (props.token) connection.setToken(props.token);
  }, [connection, props.token]);

  // Keep the newest message in view.
  const count = state.messages.length;
  useEffect(() => {
    if (count > 0) logRef.current?.lastElementChild?.scrollIntoView?.({ block: 'end' });
  }, [count]);

  const send = (event: FormEvent) => {
    event.preventDefault();
    connection.say(draft);
    setDraft('');
  };
  const lastWithButtons = [...state.messages].reverse().find((m) => m.buttons && m.buttons.length > 0);
  const lastMessage = state.messages[state.messages.length - 1];

  return (
    <section className="chat" aria-labelledby="chat-title">
      <div className="chat-head">
        <h2 id="chat-title">{t('title')}</h2>
        <div className="chat-meta">
          {state.caseNumber && (
            <span className="case-number">{t('caseNumber', { number: state.caseNumber })}</span>
          )}
          {state.owner === 'agent' && state.agentName && (
            <span className="agent-name">{t('withAgent', { name: state.agentName })}</span>
          )}
        </div>
        {props.onClose && (
          <Button variant="secondary" onClick={props.onClose}>
            {t('close')}
          </Button>
        )}
      </div>
      <p className="chat-status" role="status">
        {state.status === 'connecting' && t('connecting')}
        {state.status === 'reconnecting' && t('reconnecting')}
        {state.status === 'refused' && t('refused')}
        {state.errorCode && state.status !== 'refused' && errorText(new ApiError(0, state.errorCode, ''))}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling log must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable) */}
      <ol className="chat-log" aria-label={t('log')} aria-live="polite" ref={logRef} tabIndex={0}>
        {state.messages.map((m) => (
          <MessageItem key={`${m.seq}-${m.pending ? 'p' : 's'}`} message={m} />
        ))}
      </ol>
      {lastWithButtons && lastWithButtons === lastMessage && state.owner === 'bot' && (
        <div className="chat-buttons">
          {lastWithButtons.buttons!.map((b) => (
            <Button
              key={b.id}
              variant="secondary"
              onClick={() => connection.press(b.id)}
              data-button-id={b.id}
            >
              {b.label}
            </Button>
          ))}
        </div>
      )}
      {state.typing && (
        <p className="chat-typing" aria-live="polite">
          {state.typing.authorName ? t('typing', { name: state.typing.authorName }) : t('someoneTyping')}
        </p>
      )}
      {state.ratingRequest && !state.ratedSubjects.includes(state.ratingRequest.subject) && (
        <RatingForm request={state.ratingRequest} onRate={(rating) => connection.rate(rating)} />
      )}
      {state.ratedSubjects.length > 0 && !state.ratingRequest && <p className="chat-thanks">{t('thanks')}</p>}
      <form className="chat-compose" onSubmit={send}>
        <label htmlFor="chat-input" className="label-text">
          {t('messageLabel')}
        </label>
        <div className="chat-compose-row">
          <textarea
            id="chat-input"
            rows={2}
            value={draft}
            maxLength={4000}
            onChange={(e) => {
              setDraft(e.target.value);
              connection.typing();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) send(e);
            }}
          />
          <Button type="submit" disabled={state.status !== 'open' || !draft.trim()}>
            {t('send')}
          </Button>
          {state.owner === 'bot' && (
            <button
              type="button"
              className="button secondary headset"
              onClick={() => connection.handoff()}
              disabled={state.status !== 'open'}
              aria-label={t('talkToPerson')}
              title={t('talkToPerson')}
            >
              <HeadsetIcon />
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function MessageItem({ message }: { message: ChatMessage }) {
  const { t } = useTranslation('conversations');
  const who =
    message.from === 'buyer'
      ? t('you')
      : message.from === 'bot'
        ? t('assistant')
        : message.from === 'agent'
          ? (message.authorName ?? t('agent'))
          : t('notice');
  return (
    <li className={`chat-message from-${message.from}${message.pending ? ' pending' : ''}`}>
      <span className="chat-author">{who}</span>
      {/* Text only: React escapes it, and white-space keeps the lines. */}
      <p className="chat-text">{message.text}</p>
      <time className="chat-time" dateTime={message.at}>
        {formatTime(message.at)}
      </time>
    </li>
  );
}

function RatingForm({
  request,
  onRate,
}: {
  request: { subject: 'bot' | 'agent'; agentName: string | null };
  onRate: (rating: { stars: number; solved: boolean; comment?: string }) => void;
}) {
  const { t } = useTranslation('conversations');
  const [stars, setStars] = useState(0);
  const [solved, setSolved] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const title =
    request.subject === 'agent'
      ? t('rateTitleAgent', { name: request.agentName ?? t('agent') })
      : t('rateTitleBot');
  return (
    <form
      className="chat-rating"
      onSubmit={(e) => {
        e.preventDefault();
        if (stars > 0 && solved !== null)
          onRate({ stars, solved, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      }}
    >
      <h3>{title}</h3>
      <fieldset>
        <legend>{t('stars')}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} className="star">
            <input type="radio" name="stars" value={n} checked={stars === n} onChange={() => setStars(n)} />
            <span aria-hidden="true">{'★'.repeat(n)}</span>
            <span className="visually-hidden">{t('starsValue', { count: n })}</span>
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('solved')}</legend>
        <label>
          <input type="radio" name="solved" checked={solved === true} onChange={() => setSolved(true)} />{' '}
          {t('yes')}
        </label>
        <label>
          <input type="radio" name="solved" checked={solved === false} onChange={() => setSolved(false)} />{' '}
          {t('no')}
        </label>
      </fieldset>
      <label className="field">
        <span className="label-text">{t('comment')}</span>
        <textarea rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <Button type="submit" disabled={stars === 0 || solved === null}>
        {t('sendRating')}
      </Button>
    </form>
  );
}

function HeadsetIcon() {
  return (
    <svg aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="22" height="22">
      <path
        fill="currentColor"
        d="M12 3a8 8 0 0 0-8 8v6a3 3 0 0 0 3 3h1v-7H6v-2a6 6 0 0 1 12 0v2h-2v7h1.5l-.5 1h-3v1h3.6a1 1 0 0 0 .9-.6l.6-1.5A3 3 0 0 0 20 17v-6a8 8 0 0 0-8-8z"
      />
    </svg>
  );
}
