// What every seller-portal page shares until the web foundation's own pieces replace it: the API
// client (session cookie + CSRF token on writes), a loading hook, the error display in words, money and
// dates in the page's language, and the portal's navigation.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type ApiError = {
  status: number;
  code: string;
  message: string;
  details?: { path: string; code: string; message: string }[];
};

export type SessionUser = { id: string; displayName: string; role: string; sellerId: string | null };

let session: Promise<{ user: SessionUser; csrfToken: string | null }> | null = null;

/** The signed-in user and the CSRF token, asked once per page load. */
export function currentSession() {
  session ??= fetch('/api/v1/auth/session', { credentials: 'same-origin' }).then(async (r) => {
    if (!r.ok) throw await errorOf(r);
    return r.json();
  });
  return session;
}

async function errorOf(r: Response): Promise<ApiError> {
  const body = await r.json().catch(() => null);
  return {
    status: r.status,
    code: body?.error?.code ?? 'unknown',
    message: body?.error?.message ?? r.statusText,
    details: Array.isArray(body?.error?.details) ? body.error.details : [],
  };
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (method !== 'GET') {
    const { csrfToken } = await currentSession();
    if (csrfToken) h['x-csrf-token'] = csrfToken;
    if (body !== undefined) h['content-type'] = 'application/json';
  }
  const r = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw await errorOf(r);
  return (r.status === 204 ? null : await r.json()) as T;
}

/** Loads when `deps` change and on `reload()`; `error` holds the API's stable code. */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const latestLoad = useRef(load);
  latestLoad.current = load;
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    latestLoad.current().then(
      (data) => setState({ data, loading: false }),
      (error: ApiError) => setState({ error, loading: false }),
    );
  }, []);
  const key = JSON.stringify(deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for what the caller's load reads
  useEffect(reload, [reload, key]);
  return { ...state, reload };
}

/** The seller the signed-in user acts for. */
export function useSellerId() {
  return useResource(async () => {
    const { user } = await currentSession();
    if (!user.sellerId) throw { status: 403, code: 'forbidden', message: 'Seller users only' };
    return user.sellerId;
  });
}

export function newIdempotencyKey() {
  return crypto.randomUUID();
}

// ---- formats in the page's language ----

export function formatMoney(minor: number, currency: string, language: string) {
  const format = new Intl.NumberFormat(language, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

export function formatDateTime(iso: string | null, language: string, timeZone?: string) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

export function formatDate(iso: string | null, language: string) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(new Date(iso));
}

export function formatMonth(month: string, language: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, 1),
  );
}

/** "in 3 hours" / "2 days ago", in the page's language. */
export function formatRelative(iso: string, language: string, now = Date.now()) {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

// ---- shared pieces ----

export function ErrorNotice({ error }: { error: ApiError }) {
  const { t } = useTranslation('programs');
  const known = ['not_found', 'forbidden', 'unauthenticated', 'conflict', 'validation_failed'];
  const words = known.includes(error.code)
    ? t(`error.${error.code}`)
    : t('error.other', { code: error.code });
  return (
    <p role="alert" className="portal-error">
      {words}
      {error.code === 'unauthenticated' && (
        <>
          {' '}
          <a href={`/signin?next=${encodeURIComponent(location.pathname)}`}>{t('signIn')}</a>
        </>
      )}
    </p>
  );
}

export function Loading() {
  const { t } = useTranslation('programs');
  return <p aria-live="polite">{t('loading')}</p>;
}

const NAV = [
  ['/seller', 'nav.services'],
  ['/seller/case-log', 'nav.caseLog'],
  ['/seller/decisions', 'nav.decisions'],
  ['/seller/ledger', 'nav.ledger'],
  ['/seller/claims', 'nav.claims'],
  ['/seller/notifications', 'nav.notifications'],
] as const;

/** The portal's page frame: its navigation, one h1, the page's content. */
export function PortalPage({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation('programs');
  const here = typeof location === 'undefined' ? '' : location.pathname;
  return (
    <div className="seller-portal">
      <nav aria-label={t('nav.label')}>
        <ul className="portal-nav">
          {NAV.map(([href, key]) => (
            <li key={href}>
              <a href={href} aria-current={here === href ? 'page' : undefined}>
                {t(key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}

/** Facts a decision rested on, as a definition list (values shown as text, never as markup). */
export function FactList({ facts }: { facts: Record<string, unknown> }) {
  const entries = Object.entries(facts);
  if (entries.length === 0) return null;
  return (
    <dl className="portal-facts">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A table that may scroll sideways on a phone: a named region reachable by keyboard. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
    <section className="portal-table-wrap" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
