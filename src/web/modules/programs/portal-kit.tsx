// What every seller-portal page shares, on the web foundation's pieces: the API client (session cookie,
// CSRF token on writes), a loading hook, errors in words, money and dates in the page's language.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError as ApiFailure, request } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import {
  formatDateTime as sharedFormatDateTime,
  formatMoney as sharedFormatMoney,
} from '../../shared/format';
import { Page } from '../../shared/layout';
import { useSession } from '../../shared/session';
import './portal.css';

export type ApiError = {
  status: number;
  code: string;
  message: string;
  details?: { path: string; code: string; message: string }[];
};

/** The foundation's API client (session cookie, CSRF token on writes), called the portal's way. */
export function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  return request<T>(method, url, { ...(body === undefined ? {} : { body }), headers });
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

/** The seller the signed-in user acts for (the foundation's session). */
export function useSellerId(): { data?: string; error?: ApiError } {
  const { session } = useSession();
  if (session.kind === 'user' && session.user.sellerId) return { data: session.user.sellerId };
  return { error: { status: 403, code: 'forbidden', message: 'Seller users only' } };
}

export function newIdempotencyKey() {
  return crypto.randomUUID();
}

// ---- formats in the page's language ----

/** The foundation's exact formatter (integer minor units, no float), under the portal's argument order. */
export function formatMoney(minor: number, currency: string, language: string) {
  return sharedFormatMoney(minor, currency, language);
}

export function formatDateTime(iso: string | null, language: string, timeZone?: string) {
  return iso ? sharedFormatDateTime(iso, language, timeZone) : '';
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

/** An API error in words (the foundation's list of every error code). */
export function ErrorNotice({ error }: { error: ApiError }) {
  return (
    <ErrorMessage
      error={
        error instanceof ApiFailure
          ? error
          : new ApiFailure(error.status, error.code, error.message, error.details)
      }
    />
  );
}

export function Loading() {
  const { t } = useTranslation('programs');
  return <p aria-live="polite">{t('loading')}</p>;
}

/** A portal page: the foundation's page (heading, document title) in the portal's styles. */
export function PortalPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="seller-portal">
      <Page title={title}>{children}</Page>
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
