import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCodeWords } from '../../shared/codes/codes';
import { formatLanguageName } from '../../shared/format';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { api, type QueueCase, type SearchHit } from './api';
import { Feedback } from './Feedback';
import { useNow, usePolled } from './hooks';
import { LiveChat } from './LiveChat';
import { TableScroll } from './TableScroll';
import { duration, formatMoney } from './time';

type Waiting = {
  escalations: {
    caseNumber: string;
    marketplace: string;
    language: string;
    escalationReason: string | null;
    owner: string | null;
    since: string;
  }[];
  approvals: {
    id: string;
    caseNumber: string | null;
    action: string;
    reason: string;
    amount: number;
    currency: string;
    requestedBy: string | null;
    requestedAt: string;
  }[];
};
export type Board = {
  at: string;
  queues: {
    queue: string;
    marketplace: string;
    language: string | null;
    premium: boolean;
    waiting: number;
    oldestWaitingSince: string | null;
    open: number;
    breached: number;
    agentsAvailable: number;
  }[];
};
type Unassignable = { cases: (QueueCase & { reason: string; explanation: string })[] };

function Approval({ a, onDone }: { a: Waiting['approvals'][number]; onDone: () => Promise<void> }) {
  const { t, i18n } = useTranslation('cases');
  const code = useCodeWords();
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const decide = async (approve: boolean) => {
    setError(null);
    try {
      await api('POST', `/api/v1/concessions/${a.id}/approval`, { approve, note });
      setMessage(t('decided'));
      await onDone();
    } catch (e) {
      setError(e);
    }
  };
  const submit = (e: FormEvent) => e.preventDefault();
  return (
    <li>
      <p>
        {t('approvalLine', {
          action: code('concessionAction', a.action),
          amount: formatMoney(a.amount, a.currency, i18n.language),
          caseNumber: a.caseNumber ?? '—',
          by: a.requestedBy ?? '—',
          reason: code('concessionReason', a.reason),
        })}
      </p>
      <form onSubmit={submit}>
        <label htmlFor={`approval-note-${a.id}`}>{t('approvalNote')}</label>
        <input
          id={`approval-note-${a.id}`}
          required
          minLength={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <button
          type="button"
          className="button primary"
          disabled={note.trim().length < 3}
          onClick={() => void decide(true)}
        >
          {t('approve')}
        </button>
        <button
          type="button"
          className="button secondary"
          disabled={note.trim().length < 3}
          onClick={() => void decide(false)}
        >
          {t('deny')}
        </button>
      </form>
      <Feedback message={message} error={error} />
    </li>
  );
}

export type StaffMember = {
  userId: string;
  displayName: string;
  role: string;
  profile: {
    marketplaces: string[];
    languages: string[];
    capacity: number;
    premium: boolean;
    available: boolean;
    openCases: number;
  } | null;
};

export type MarketplaceLanguages = { id: string; languages: string[] }[];

/**
 * The queues a case of `marketplace` may be moved to: one per language the marketplace speaks, and
 * any other of its queues open now (premium, supervisors'), in a stable order.
 */
export function queueChoices(
  marketplace: string,
  board: Board | null,
  marketplaces: MarketplaceLanguages | null,
): string[] {
  const spoken = marketplaces?.find((m) => m.id === marketplace)?.languages ?? [];
  const open = (board?.queues ?? []).filter((q) => q.marketplace === marketplace).map((q) => q.queue);
  return [...new Set([...spoken.map((l) => `${marketplace}:${l}`), ...open])].sort();
}

/** Who may take a case of this queue: set up for its marketplace and language (and premium skill). */
export function servesCase(s: StaffMember, c: { marketplace: string; language: string; queue: string }) {
  const p = s.profile;
  if (!p?.marketplaces.includes(c.marketplace)) return false;
  if (c.queue.endsWith(':supervisors')) return s.role === 'supervisor';
  return p!.languages.includes(c.language) && (!c.queue.endsWith(':premium') || p!.premium);
}

/** Give a case to an agent, chosen by name with their languages and load, or to another queue. */
export function Reassign(props: {
  c: QueueCase;
  staff: StaffMember[];
  queues: string[];
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation('cases');
  const { c } = props;
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const id = c.caseNumber.replace(/[^A-Za-z0-9]/g, '');
  // Available agents first, the least busy first: the likeliest choice is on top.
  const agents = props.staff
    .filter((s) => servesCase(s, c))
    .sort(
      (a, b) =>
        Number(b.profile!.available) - Number(a.profile!.available) ||
        a.profile!.openCases / a.profile!.capacity - b.profile!.openCases / b.profile!.capacity ||
        a.displayName.localeCompare(b.displayName),
    );
  const queues = props.queues.filter((q) => q !== c.queue);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const [kind, value] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
    try {
      await api('POST', `/api/v1/cases/${encodeURIComponent(c.caseNumber)}/reassignment`, {
        ...(kind === 'agent' ? { agentId: value } : { queue: value }),
        note,
      });
      setMessage(t('reassigned', { caseNumber: c.caseNumber }));
      await props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="reassign">
      <label htmlFor={`reassign-to-${id}`}>{t('reassignTo')}</label>
      <select id={`reassign-to-${id}`} required value={target} onChange={(e) => setTarget(e.target.value)}>
        <option value="">{t('reassignPick')}</option>
        {agents.length > 0 ? (
          <optgroup label={t('reassignAgents')}>
            {agents.map((s) => (
              <option key={s.userId} value={`agent:${s.userId}`}>
                {t(s.profile!.available ? 'agentChoice' : 'agentAway', {
                  name: s.displayName,
                  languages: s.profile!.languages.join(', '),
                  open: s.profile!.openCases,
                  capacity: s.profile!.capacity,
                })}
              </option>
            ))}
          </optgroup>
        ) : null}
        {queues.length > 0 ? (
          <optgroup label={t('reassignQueues')}>
            {queues.map((q) => (
              <option key={q} value={`queue:${q}`}>
                {t('queueChoice', { queue: q })}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      {agents.length === 0 ? <p className="hint">{t('noAgentsServe')}</p> : null}
      <label htmlFor={`reassign-note-${id}`}>{t('reassignNote')}</label>
      <input
        id={`reassign-note-${id}`}
        required
        minLength={3}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <button type="submit" className="button primary">
        {t('reassign')}
      </button>
      <Feedback message={message} error={error} />
    </form>
  );
}

/** Watch any case's live chat: find it by case number, then follow it and take it over if needed. */
function WatchChat() {
  const { t } = useTranslation('cases');
  const [caseNumber, setCaseNumber] = useState('');
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ cases: SearchHit[] }>(
        'GET',
        `/api/v1/cases?caseNumber=${encodeURIComponent(caseNumber.trim())}&limit=1`,
      );
      setConversationId(r.cases[0]?.conversationId ?? null);
      if (!r.cases[0]?.conversationId) setError(new Error(t('notFound')));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="watch-title">
      <h2 id="watch-title">{t('watchChat')}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="watch-case">{t('searchCaseNumber')}</label>
        <input id="watch-case" required value={caseNumber} onChange={(e) => setCaseNumber(e.target.value)} />
        <button type="submit" className="button primary">
          {t('watchChat')}
        </button>
      </form>
      <Feedback error={error} />
      {conversationId ? (
        <LiveChat key={conversationId} conversationId={conversationId} viewer="supervisor" />
      ) : null}
    </section>
  );
}

/** The supervisor's home (/supervisor): what waits on them, the queues now, cases nobody can take. */
export function SupervisorPage() {
  const { t } = useTranslation('cases');
  const code = useCodeWords();
  const now = useNow();
  const waiting = usePolled(() => api<Waiting>('GET', '/api/v1/supervisor/waiting'), 5000);
  const board = usePolled(() => api<Board>('GET', '/api/v1/supervisor/queue-board'), 5000);
  const stuck = usePolled(() => api<Unassignable>('GET', '/api/v1/supervisor/unassignable-cases'), 10_000);
  // The agents with their languages and load, for the reassign pickers; re-read with the stuck cases.
  const staff = usePolled(() => api<StaffMember[]>('GET', '/api/v1/admin/agents'), 10_000);
  const marketplaces = usePolled(() => api<MarketplaceLanguages>('GET', '/api/v1/marketplaces'), 600_000);
  const reloadAll = async () => {
    await Promise.all([waiting.reload(), board.reload(), stuck.reload(), staff.reload()]);
  };

  return (
    <Page title={t('supervisorTitle')}>
      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">{t('waitingTitle')}</h2>
        <Feedback error={waiting.error} />
        <h3>{t('approvals')}</h3>
        {waiting.data?.approvals.length ? (
          <ul>
            {waiting.data.approvals.map((a) => (
              <Approval key={a.id} a={a} onDone={reloadAll} />
            ))}
          </ul>
        ) : (
          <p>{waiting.data ? t('noApprovals') : t('loading')}</p>
        )}
        <h3>{t('escalations')}</h3>
        {waiting.data?.escalations.length ? (
          <ul>
            {waiting.data.escalations.map((e) => (
              <li key={e.caseNumber}>
                <Link href={`/agent/cases/${encodeURIComponent(e.caseNumber)}`}>{e.caseNumber}</Link> ·{' '}
                {e.marketplace} · {formatLanguageName(e.language)} · {e.escalationReason ?? '—'} ·{' '}
                {duration(now - Date.parse(e.since))}
              </li>
            ))}
          </ul>
        ) : (
          <p>{waiting.data ? t('noEscalations') : t('loading')}</p>
        )}
      </section>

      <section aria-labelledby="board-title">
        <h2 id="board-title">{t('boardTitle')}</h2>
        <Feedback error={board.error} />
        {board.data?.queues.length ? (
          <TableScroll label={t('boardTitle')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('colQueue')}</th>
                  <th scope="col">{t('boardMarketplace')}</th>
                  <th scope="col">{t('boardLanguage')}</th>
                  <th scope="col">{t('boardWaiting')}</th>
                  <th scope="col">{t('boardOldest')}</th>
                  <th scope="col">{t('boardBreached')}</th>
                  <th scope="col">{t('boardOpen')}</th>
                  <th scope="col">{t('boardAgents')}</th>
                </tr>
              </thead>
              <tbody>
                {board.data.queues.map((q) => (
                  <tr key={q.queue} className={q.breached > 0 ? 'row-breached' : undefined}>
                    <th scope="row">{q.queue}</th>
                    <td>{q.marketplace}</td>
                    <td>{q.language ? formatLanguageName(q.language) : t('supervisorsQueue')}</td>
                    <td>{q.waiting}</td>
                    <td>{q.oldestWaitingSince ? duration(now - Date.parse(q.oldestWaitingSince)) : '—'}</td>
                    <td>{q.breached > 0 ? <strong className="breached">{q.breached}</strong> : 0}</td>
                    <td>{q.open}</td>
                    <td>{q.agentsAvailable}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <p>{board.data ? t('boardEmpty') : t('loading')}</p>
        )}
      </section>

      <section aria-labelledby="stuck-title">
        <h2 id="stuck-title">{t('unassignableTitle')}</h2>
        <Feedback error={stuck.error} />
        {stuck.data?.cases.length ? (
          <ul>
            {stuck.data.cases.map((c) => (
              <li key={c.caseNumber}>
                <p>
                  <Link href={`/agent/cases/${encodeURIComponent(c.caseNumber)}`}>{c.caseNumber}</Link> ·{' '}
                  {c.queue} · {code('unassignable', c.reason)}
                </p>
                <Reassign
                  c={c}
                  staff={staff.data ?? []}
                  queues={queueChoices(c.marketplace, board.data, marketplaces.data)}
                  onDone={reloadAll}
                />
              </li>
            ))}
          </ul>
        ) : (
          <p>{stuck.data ? t('noUnassignable') : t('loading')}</p>
        )}
      </section>
      <WatchChat />
    </Page>
  );
}
