import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CodeWords, useCodeWords } from '../../shared/codes/codes';
import { Page } from '../../shared/layout';
import { roleOf, useSession } from '../../shared/session';
import {
  ApiError,
  type Attachment,
  api,
  type CaseDetail,
  go,
  idempotencyKey,
  type OrderDetail,
  type ProductPage,
  type SavedReply,
  type SearchHit,
} from './api';
import './console.css';
import { Feedback } from './Feedback';
import { useNow, usePolled, useShortcuts } from './hooks';
import { LiveChat } from './LiveChat';
import { DueCell } from './QueuePage';
import { ShortcutHelp } from './ShortcutHelp';
import {
  type Board,
  type MarketplaceLanguages,
  queueChoices,
  Reassign,
  type StaffMember,
} from './SupervisorPage';
import { TableScroll } from './TableScroll';
import { dueOf, formatMoney, formatTime, toMinor } from './time';

const RETURN_REASONS = [
  'no_longer_needed',
  'ordered_by_mistake',
  'better_price_available',
  'wrong_item',
  'defective',
  'damaged_in_transit',
  'missing_parts',
  'late_delivery',
  'not_as_described',
  'other',
] as const;
const CONCESSION_REASONS = [
  'late_beyond_promise',
  'no_longer_needed',
  'no_tracking',
  'defective_or_damaged',
  'missing_parts',
  'wrong_item',
  'lost_in_transit',
  'goodwill',
] as const;
const OUTCOMES = ['answered', 'missed', 'voicemail', 'transferred'] as const;

type Option = { action: string; allowed: boolean; maxAmount: number; reason: string; explanation: string };

/** One action's form: a titled section that shows what happened or what went wrong. */
function ActionForm(props: {
  id: string;
  title: string;
  submit: string;
  onSubmit: () => Promise<string>;
  children: ReactNode;
  hint?: string;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await props.onSubmit());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${props.id}-title`} className="action">
      <h3 id={`${props.id}-title`}>{props.title}</h3>
      {props.hint ? <p className="hint">{props.hint}</p> : null}
      <form onSubmit={(e) => void submit(e)}>
        {props.children}
        <button type="submit" className="button primary" disabled={busy}>
          {props.submit}
        </button>
      </form>
      <Feedback message={message} error={error} />
    </section>
  );
}

function Field(props: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

/** The route's page: the case named in the path. */
export function CaseRoute({ params }: { params: Record<string, string> }) {
  return <CasePage key={params.ref} caseRef={params.ref ?? ''} />;
}

/** A case (/agent/cases/:ref): conversation, order, shipments, returns, product page, history, and acting. */
export function CasePage({ caseRef }: { caseRef: string }) {
  const { t, i18n } = useTranslation('cases');
  const code = useCodeWords();
  const locale = i18n.language;
  const now = useNow();
  const ref = encodeURIComponent(caseRef);
  const detail = usePolled(() => api<CaseDetail>('GET', `/api/v1/cases/${ref}`), 4000, ref);
  const [hit, setHit] = useState<SearchHit | null>(null);
  const [order, setOrder] = useState<OrderDetail | null>(null);
  const [product, setProduct] = useState<ProductPage | null>(null);
  const [saved, setSaved] = useState<SavedReply[]>([]);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const replyRef = useRef<HTMLTextAreaElement>(null);
  const [reply, setReply] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const c = detail.data;
  const supervising = roleOf(useSession().session) === 'supervisor';
  const language = c?.language;
  const marketplace = c?.marketplace;

  useEffect(() => {
    void api<{ cases: SearchHit[] }>('GET', `/api/v1/cases?caseNumber=${ref}&limit=1`)
      .then((r) => setHit(r.cases[0] ?? null))
      .catch(() => setHit(null));
  }, [ref]);
  // The e-mails' files, read again when a message arrives.
  const messageCount = c?.messages.length ?? 0;
  useEffect(() => {
    void messageCount;
    void api<{ attachments: Attachment[] }>('GET', `/api/v1/cases/${ref}/attachments`)
      .then((r) => setAttachments(r.attachments))
      .catch(() => setAttachments([]));
  }, [ref, messageCount]);
  // Read again when the case's history grows: a return or a refund just made shows on the order.
  const historyLength = c?.events.length ?? 0;
  useEffect(() => {
    void historyLength;
    if (!hit?.orderNumber) return;
    void api<OrderDetail>('GET', `/api/v1/orders/${encodeURIComponent(hit.orderNumber)}`).then(setOrder);
  }, [hit?.orderNumber, historyLength]);
  useEffect(() => {
    const line = order?.lines[0];
    if (!line || !marketplace || !language) return;
    void api<ProductPage>(
      'GET',
      `/api/v1/products/${encodeURIComponent(line.productExternalId)}/page?marketplace=${marketplace}&language=${language}`,
    )
      .then(setProduct)
      .catch(() => setProduct(null));
  }, [order, marketplace, language]);
  useEffect(() => {
    if (!marketplace || !language) return;
    void api<{ replies: SavedReply[] }>(
      'GET',
      `/api/v1/saved-replies?language=${language}&marketplace=${marketplace}`,
    ).then((r) => setSaved(r.replies));
  }, [language, marketplace]);

  // A chat case is answered in the chat itself; its messages come over the socket, as they are written.
  const liveChatId = c?.channel === 'chat' && hit?.conversationId ? hit.conversationId : null;
  useShortcuts({
    r: () => (liveChatId ? document.getElementById(`chat-text-${liveChatId}`) : replyRef.current)?.focus(),
    n: () =>
      void api<{ case: { caseNumber: string } | null }>('POST', '/api/v1/agent/next-case').then((r) => {
        if (r.case) go(`/agent/cases/${encodeURIComponent(r.case.caseNumber)}`);
        else go('/agent');
      }),
    x: () => document.getElementById('resolve-note')?.focus(),
  });

  if (detail.error instanceof ApiError && detail.error.status === 404)
    return (
      <Page title={t('caseTitle', { caseNumber: caseRef })}>
        <p role="alert">{t('notFound')}</p>
      </Page>
    );
  if (!c)
    return (
      <Page title={t('caseTitle', { caseNumber: caseRef })}>
        <p>{t('loading')}</p>
        <Feedback error={detail.error} />
      </Page>
    );

  const money = (m: { amount: number; currency: string }) => formatMoney(m.amount, m.currency, locale);
  const chooseSaved = async (id: string) => {
    if (!id) return;
    const r = await api<{ text: string; missing: string[] }>(
      'GET',
      `/api/v1/cases/${ref}/saved-replies/${id}`,
    );
    setReply(r.text);
    setMissing(r.missing);
    replyRef.current?.focus();
  };

  return (
    <Page title={t('caseTitle', { caseNumber: c.caseNumber })}>
      <p className="case-status">
        {t(`status_${c.status}`)} · {t(`channel_${c.channel}`)} · {code('topic', c.topic)} · {c.queue} ·{' '}
        <DueCell dueAt={dueOf(c)} now={now} />
      </p>
      <p className="hint">{t('shortcuts')}</p>
      <ShortcutHelp />
      <div className="case-columns">
        <div>
          <section aria-labelledby="conversation-title">
            <h2 id="conversation-title">{t('conversation')}</h2>
            {liveChatId ? <LiveChat key={liveChatId} conversationId={liveChatId} viewer="agent" /> : null}
            {liveChatId && c.messages.length === 0 ? null : c.messages.length === 0 ? (
              <p>{t('noMessages')}</p>
            ) : (
              <ol className="messages" aria-live="polite">
                {c.messages.map((m) => (
                  <li key={`${m.sentAt}|${m.author}|${m.body.length}`} className={`message from-${m.author}`}>
                    <p className="message-meta">
                      {t(`author_${m.author}`)} · {t(`channel_${m.channel}`)} · {formatTime(m.sentAt, locale)}
                    </p>
                    <p className="message-body">{m.body}</p>
                  </li>
                ))}
              </ol>
            )}
          </section>

          {attachments.length > 0 ? (
            <section aria-labelledby="attachments-title">
              <h3 id="attachments-title">{t('attachments')}</h3>
              <ul className="attachments">
                {attachments.map((a) => (
                  <li key={a.id}>
                    <a
                      href={`/api/v1/cases/${ref}/attachments/${a.id}`}
                      download={a.filename}
                      aria-label={t('attachmentDownload', { name: a.filename })}
                    >
                      {a.filename}
                    </a>{' '}
                    <span className="hint">
                      {t('attachmentMeta', {
                        size: fileSize(a.sizeBytes, locale),
                        from: a.from,
                        when: formatTime(a.receivedAt, locale),
                      })}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <section aria-labelledby="history-title">
            <h2 id="history-title">{t('history')}</h2>
            <p>{t('routing', { reason: code('routingReason', c.routingReason) })}</p>
            <ol className="history">
              {c.events.map((e) => (
                <li key={`${e.at}|${e.kind}`}>
                  {formatTime(e.at, locale)} · {code('event', e.kind)} · {code('actor', e.actor)}
                  {historyNotes(e, code).map(([k, text]) => (
                    <q key={k}> {text}</q>
                  ))}
                </li>
              ))}
            </ol>
          </section>
        </div>

        <div>
          <section aria-labelledby="order-title">
            <h2 id="order-title">
              {hit?.orderNumber ? t('order', { order: hit.orderNumber }) : t('noOrder')}
            </h2>
            {order ? (
              <>
                <TableScroll label={t('lineTitle')}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('lineTitle')}</th>
                        <th scope="col">{t('lineUnits')}</th>
                        <th scope="col">{t('linePrice')}</th>
                        <th scope="col">{t('lineTotal')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {order.lines.map((l) => (
                        <tr key={l.lineNo}>
                          <td>{l.title ?? l.sku}</td>
                          <td>{l.units}</td>
                          <td>{money(l.unitPrice)}</td>
                          <td>{money(l.lineTotal)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
                <p>
                  {t('orderTotal')}: {money(order.orderTotal)}
                </p>
                <h3>{t('shipments')}</h3>
                {order.shipments.length === 0 ? (
                  <p>{t('noShipments')}</p>
                ) : (
                  order.shipments.map((s) => (
                    <div key={s.id}>
                      <p>{t('tracking', { carrier: s.carrier, tracking: s.trackingNumber ?? '—' })}</p>
                      <ol>
                        {s.events.map((e) => (
                          <li key={`${e.occurredAt}|${e.code}`}>
                            {formatTime(e.occurredAt, locale)} · {code('carrierEvent', e.code)}
                            {e.location ? ` · ${e.location}` : ''}
                            {e.detail ? ` · ${e.detail}` : ''}
                          </li>
                        ))}
                      </ol>
                    </div>
                  ))
                )}
                <h3>{t('returns')}</h3>
                {order.returns.length === 0 ? (
                  <p>{t('noReturns')}</p>
                ) : (
                  <ul>
                    {order.returns.map((r) => (
                      <li key={r.id}>
                        {code('returnReason', r.reason)} · {code('returnAuthorisation', r.authorisation)} ·{' '}
                        {formatTime(r.requestedAt, locale)}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            ) : null}
          </section>
          {product ? (
            <section aria-labelledby="product-title" lang={product.language}>
              <h2 id="product-title">{t('product', { language: product.language })}</h2>
              <h3>{product.title}</h3>
              <ul>
                {product.bulletPoints.map((b) => (
                  <li key={b}>{b}</li>
                ))}
              </ul>
              <p>{product.description}</p>
            </section>
          ) : null}
        </div>
      </div>

      <ActionForm
        id="reply"
        title={t('reply')}
        submit={t('send')}
        onSubmit={async () => {
          await api('POST', `/api/v1/cases/${ref}/replies`, { message: reply });
          setReply('');
          setMissing([]);
          await detail.reload();
          return t('sent');
        }}
      >
        <Field id="saved-reply" label={t('savedReply')}>
          <select id="saved-reply" defaultValue="" onChange={(e) => void chooseSaved(e.target.value)}>
            <option value="">{t('savedReplyNone')}</option>
            {saved.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </Field>
        <Field id="reply-text" label={t('reply')}>
          <textarea
            id="reply-text"
            ref={replyRef}
            required
            rows={4}
            value={reply}
            onChange={(e) => setReply(e.target.value)}
          />
        </Field>
        {missing.length > 0 ? (
          <p className="hint">{t('savedReplyMissing', { names: missing.join(', ') })}</p>
        ) : null}
      </ActionForm>

      <div className="actions">
        <AskSeller caseRef={ref} onDone={detail.reload} />
        {order ? <AuthoriseReturn caseRef={ref} order={order} onDone={detail.reload} /> : null}
        {order ? <Concessions caseRef={ref} order={order} onDone={detail.reload} /> : null}
        {order && order.shipments.length > 0 ? (
          <section aria-labelledby="claim-title" className="action">
            <h3 id="claim-title">{t('claimPackage')}</h3>
            <p className="hint">{t('claimPackageHint')}</p>
            <ul>
              {order.shipments.map((s) => (
                <li key={s.id}>
                  {t('tracking', { carrier: s.carrier, tracking: s.trackingNumber ?? '—' })} ·{' '}
                  {s.events.map((e) => code('carrierEvent', e.code)).join(' → ')}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <SimpleNoteAction
          id="escalate"
          title={t('escalate')}
          label={t('escalateReason')}
          submit={t('escalate')}
          required
          send={async (note) => {
            await api('POST', `/api/v1/cases/${ref}/escalations`, { reason: note });
            await detail.reload();
            return t('escalated');
          }}
        />
        <SimpleNoteAction
          id="resolve"
          title={t('resolve')}
          label={t('resolveNote')}
          submit={t('resolve')}
          send={async (note) => {
            await api('POST', `/api/v1/cases/${ref}/resolution`, note ? { note } : {});
            await detail.reload();
            return t('resolved');
          }}
        />
        {supervising && c.status !== 'resolved' && c.status !== 'closed' ? (
          <CaseReassign c={c} onDone={detail.reload} />
        ) : null}
        <LogCall caseRef={ref} onDone={detail.reload} />
        <Callback caseRef={ref} />
      </div>
    </Page>
  );
}

/** 1 234 bytes → "1.2 kB", in the page's number format. */
function fileSize(bytes: number, locale: string) {
  const [value, unit] =
    bytes >= 1_000_000
      ? [bytes / 1_000_000, 'megabyte']
      : bytes >= 1000
        ? [bytes / 1000, 'kilobyte']
        : [bytes, 'byte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

/**
 * What a history entry says in people's words: questions, answers, notes. A code among them is put
 * in words (a return's rule); the routing reason of `opened` is the line above the list.
 */
function historyNotes(e: CaseDetail['events'][number], code: CodeWords): [string, string][] {
  const text = (k: string) => (typeof e.data[k] === 'string' ? (e.data[k] as string) : null);
  if (e.kind === 'opened') return [];
  if (e.kind === 'return_authorised') return text('reason') ? [['reason', code('rule', text('reason'))]] : [];
  return ['question', 'answer', 'reason', 'note'].flatMap((k) => {
    const value = text(k);
    return value ? [[k, value] as [string, string]] : [];
  });
}

/** A supervisor gives the open case to an agent picked by name, languages and load, or to a queue. */
function CaseReassign({ c, onDone }: { c: CaseDetail; onDone: () => Promise<void> }) {
  const { t } = useTranslation('cases');
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [queues, setQueues] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  useEffect(() => {
    // A picker that could not load says so, instead of staying silently empty.
    api<StaffMember[]>('GET', '/api/v1/admin/agents').then(setStaff, setLoadError);
    Promise.all([
      api<Board>('GET', '/api/v1/supervisor/queue-board'),
      api<MarketplaceLanguages>('GET', '/api/v1/marketplaces'),
    ]).then(
      ([board, marketplaces]) => setQueues(queueChoices(c.marketplace, board, marketplaces)),
      setLoadError,
    );
  }, [c.marketplace]);
  return (
    <section aria-labelledby="reassign-title" className="action">
      <h3 id="reassign-title">{t('reassign')}</h3>
      <Feedback error={loadError} />
      <Reassign c={c} staff={staff} queues={queues} onDone={onDone} />
    </section>
  );
}

function SimpleNoteAction(props: {
  id: string;
  title: string;
  label: string;
  submit: string;
  required?: boolean;
  send: (note: string) => Promise<string>;
}) {
  const [note, setNote] = useState('');
  return (
    <ActionForm
      id={props.id}
      title={props.title}
      submit={props.submit}
      onSubmit={() => props.send(note.trim())}
    >
      <Field id={`${props.id}-note`} label={props.label}>
        <textarea
          id={`${props.id}-note`}
          rows={2}
          required={props.required}
          minLength={props.required ? 3 : undefined}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Field>
    </ActionForm>
  );
}

function AskSeller({ caseRef, onDone }: { caseRef: string; onDone: () => Promise<void> }) {
  const { t, i18n } = useTranslation('cases');
  const [question, setQuestion] = useState('');
  return (
    <ActionForm
      id="ask-seller"
      title={t('askSeller')}
      hint={t('askSellerHint')}
      submit={t('ask')}
      onSubmit={async () => {
        const r = await api<{ dueAt: string }>('POST', `/api/v1/cases/${caseRef}/seller-requests`, {
          question,
        });
        setQuestion('');
        await onDone();
        return t('asked', { due: formatTime(r.dueAt, i18n.language) });
      }}
    >
      <Field id="ask-seller-question" label={t('askSeller')}>
        <textarea
          id="ask-seller-question"
          rows={3}
          required
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
        />
      </Field>
    </ActionForm>
  );
}

function AuthoriseReturn(props: { caseRef: string; order: OrderDetail; onDone: () => Promise<void> }) {
  const { t } = useTranslation('cases');
  const code = useCodeWords();
  const [reason, setReason] = useState<string>('defective');
  const [units, setUnits] = useState<Record<number, number>>(() =>
    Object.fromEntries(props.order.lines.map((l) => [l.lineNo, l.units])),
  );
  const [note, setNote] = useState('');
  return (
    <ActionForm
      id="return"
      title={t('authoriseReturn')}
      submit={t('authorise')}
      onSubmit={async () => {
        const lines = Object.entries(units)
          .filter(([, n]) => n > 0)
          .map(([lineNo, n]) => ({ lineNo: Number(lineNo), units: n }));
        const r = await api<{ authorisation: string }>(
          'POST',
          `/api/v1/cases/${props.caseRef}/returns`,
          { reason, lines, ...(note.trim() ? { exceptionNote: note.trim() } : {}) },
          { 'idempotency-key': idempotencyKey() },
        );
        await props.onDone();
        return t('authorised', { authorisation: code('returnAuthorisation', r.authorisation) });
      }}
    >
      <Field id="return-reason" label={t('returnReason')}>
        <select id="return-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
          {RETURN_REASONS.map((r) => (
            <option key={r} value={r}>
              {code('returnReason', r)}
            </option>
          ))}
        </select>
      </Field>
      {props.order.lines.map((l) => (
        <Field key={l.lineNo} id={`return-units-${l.lineNo}`} label={t('returnLine', { lineNo: l.lineNo })}>
          <input
            id={`return-units-${l.lineNo}`}
            type="number"
            min={0}
            max={l.units}
            value={units[l.lineNo] ?? 0}
            onChange={(e) => setUnits({ ...units, [l.lineNo]: Number(e.target.value) })}
          />
        </Field>
      ))}
      <Field id="return-exception" label={t('exceptionNote')}>
        <input id="return-exception" value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
    </ActionForm>
  );
}

function Concessions(props: { caseRef: string; order: OrderDetail; onDone: () => Promise<void> }) {
  const { t, i18n } = useTranslation('cases');
  const code = useCodeWords();
  const [reason, setReason] = useState<string>('defective_or_damaged');
  const [options, setOptions] = useState<{ currency: string; options: Option[] } | null>(null);
  const [action, setAction] = useState<string>('');
  const [amounts, setAmounts] = useState<Record<number, string>>({});
  const [shipping, setShipping] = useState('');
  const [error, setError] = useState<unknown>(null);
  const loadOptions = async () => {
    setError(null);
    try {
      const r = await api<{ currency: string; options: Option[] }>(
        'GET',
        `/api/v1/cases/${props.caseRef}/concession-options?reason=${reason}`,
      );
      setOptions(r);
      setAction(r.options.find((o) => o.allowed)?.action ?? '');
    } catch (e) {
      setError(e);
    }
  };
  // Amounts are typed in the currency's units (12.50) and sent in minor units.
  const minor = (text: string) => toMinor(text, options?.currency ?? props.order.orderTotal.currency);
  return (
    <section aria-labelledby="concessions-title" className="action">
      <h3 id="concessions-title">{t('concessions')}</h3>
      <div className="field">
        <label htmlFor="concession-reason">{t('concessionReason')}</label>
        <select id="concession-reason" value={reason} onChange={(e) => setReason(e.target.value)}>
          {CONCESSION_REASONS.map((r) => (
            <option key={r} value={r}>
              {code('concessionReason', r)}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button secondary" onClick={() => void loadOptions()}>
        {t('showOptions')}
      </button>
      <Feedback error={error} />
      {options ? (
        <ActionForm
          id="concession"
          title={t('concessions')}
          submit={t('grant')}
          onSubmit={async () => {
            const lines = Object.entries(amounts)
              .filter(([, a]) => a.trim() !== '' && minor(a) > 0)
              .map(([lineNo, a]) => ({ lineNo: Number(lineNo), amount: minor(a) }));
            const r = await api<{ status: string }>(
              'POST',
              `/api/v1/cases/${props.caseRef}/concessions`,
              { action, reason, lines, shipping: shipping.trim() ? minor(shipping) : 0 },
              { 'idempotency-key': idempotencyKey() },
            );
            await props.onDone();
            return t('granted', { status: t(`concession_${r.status}`) });
          }}
        >
          <fieldset>
            <legend>{t('concessions')}</legend>
            {options.options.map((o) => (
              <div key={o.action} className="option">
                <input
                  type="radio"
                  id={`option-${o.action}`}
                  name="concession-action"
                  value={o.action}
                  disabled={!o.allowed}
                  checked={action === o.action}
                  onChange={() => setAction(o.action)}
                />
                <label htmlFor={`option-${o.action}`}>
                  {code('concessionAction', o.action)} —{' '}
                  {!o.allowed
                    ? t('optionNotAllowed')
                    : o.maxAmount > 0
                      ? t('optionMax', { amount: formatMoney(o.maxAmount, options.currency, i18n.language) })
                      : t('optionAllowed')}
                  : {code('rule', o.reason)}
                  {/* The server's explanation holds the facts (amounts, dates) and is English only: marked so. */}
                  <span lang="en"> — {o.explanation}</span>
                </label>
              </div>
            ))}
          </fieldset>
          {props.order.lines.map((l) => (
            <Field
              key={l.lineNo}
              id={`concession-line-${l.lineNo}`}
              label={t('amount', { lineNo: l.lineNo })}
            >
              <input
                id={`concession-line-${l.lineNo}`}
                inputMode="decimal"
                value={amounts[l.lineNo] ?? ''}
                onChange={(e) => setAmounts({ ...amounts, [l.lineNo]: e.target.value })}
              />
            </Field>
          ))}
          <Field id="concession-shipping" label={t('shippingAmount')}>
            <input
              id="concession-shipping"
              inputMode="decimal"
              value={shipping}
              onChange={(e) => setShipping(e.target.value)}
            />
          </Field>
        </ActionForm>
      ) : null}
    </section>
  );
}

function LogCall({ caseRef, onDone }: { caseRef: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation('cases');
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('outbound');
  const [outcome, setOutcome] = useState<string>('answered');
  const [startedAt, setStartedAt] = useState(() => new Date(Date.now() - 600_000).toISOString().slice(0, 16));
  const [notes, setNotes] = useState('');
  return (
    <ActionForm
      id="call"
      title={t('logCall')}
      submit={t('logCall')}
      onSubmit={async () => {
        await api('POST', `/api/v1/cases/${caseRef}/calls`, {
          direction,
          outcome,
          startedAt: new Date(startedAt).toISOString(),
          ...(notes.trim() ? { notes: notes.trim() } : {}),
        });
        await onDone();
        return t('logged');
      }}
    >
      <Field id="call-direction" label={t('callDirection')}>
        <select
          id="call-direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value as 'inbound' | 'outbound')}
        >
          <option value="inbound">{t('callInbound')}</option>
          <option value="outbound">{t('callOutbound')}</option>
        </select>
      </Field>
      <Field id="call-outcome" label={t('callOutcome')}>
        <select id="call-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`outcome_${o}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="call-started" label={t('callStarted')}>
        <input
          id="call-started"
          type="datetime-local"
          required
          value={startedAt}
          onChange={(e) => setStartedAt(e.target.value)}
        />
      </Field>
      <Field id="call-notes" label={t('callNotes')}>
        <textarea id="call-notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
    </ActionForm>
  );
}

function Callback({ caseRef }: { caseRef: string }) {
  const { t, i18n } = useTranslation('cases');
  const [phone, setPhone] = useState('');
  const [at, setAt] = useState(() => new Date(Date.now() + 3_600_000).toISOString().slice(0, 16));
  return (
    <ActionForm
      id="callback"
      title={t('callback')}
      submit={t('callback')}
      onSubmit={async () => {
        const r = await api<{ dueAt: string }>('POST', `/api/v1/cases/${caseRef}/callbacks`, {
          phone,
          dueAt: new Date(at).toISOString(),
        });
        return t('scheduled', { due: formatTime(r.dueAt, i18n.language) });
      }}
    >
      <Field id="callback-phone" label={t('callbackPhone')}>
        <input
          id="callback-phone"
          type="tel"
          required
          pattern="\+[1-9][0-9]{6,14}"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
      </Field>
      <Field id="callback-at" label={t('callbackAt')}>
        <input
          id="callback-at"
          type="datetime-local"
          required
          value={at}
          onChange={(e) => setAt(e.target.value)}
        />
      </Field>
    </ActionForm>
  );
}
