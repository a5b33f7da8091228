import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { z } from 'zod';
import { ApiError, api, setBearerToken, setCsrfToken } from './api';

// Who is using the page: a signed-in user (cookie session + CSRF token), a buyer who came with the
// operator's signed token (URL fragment or widget), or nobody yet.

export const webRoles = ['admin', 'supervisor', 'agent', 'claims_reviewer', 'seller', 'buyer'] as const;
export type WebRole = (typeof webRoles)[number];

export const sessionUser = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(webRoles),
  sellerId: z.string().nullable(),
  buyerId: z.string().nullable(),
});
export type SessionUser = z.infer<typeof sessionUser>;
const sessionAnswer = z.object({ user: sessionUser, csrfToken: z.string().nullable() });

export type Session =
  | { kind: 'user'; user: SessionUser }
  | { kind: 'buyer_token'; token: string }
  | { kind: 'anonymous' };

/** Where each role lands after signing in. */
export const homeOf: Record<WebRole, string> = {
  admin: '/admin',
  supervisor: '/supervisor',
  agent: '/agent',
  claims_reviewer: '/claims',
  seller: '/seller',
  buyer: '/help',
};

export const roleOf = (session: Session): WebRole | null =>
  session.kind === 'user' ? session.user.role : session.kind === 'buyer_token' ? 'buyer' : null;

type SessionState = {
  session: Session;
  loading: boolean;
  signIn: (email: string, password: string) => Promise<SessionUser>;
  signOut: () => Promise<void>;
  /** A buyer token handed over by the operator's site (fragment) or the widget (postMessage). */
  useBuyerToken: (token: string) => void;
};

const SessionContext = createContext<SessionState | null>(null);

/** Takes `#token=…` out of the address (it never goes to the server in a URL, nor stays in history). */
export function takeTokenFromFragment(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const token = fragment.get('token');
  if (!token) return null;
  fragment.delete('token');
  const rest = fragment.toString();
  window.history.replaceState(
    null,
    '',
    `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`,
  );
  return token;
}

export function SessionProvider({
  children,
  initialToken,
}: {
  children: ReactNode;
  initialToken?: string | null;
}) {
  const [session, setSession] = useState<Session>(
    initialToken ? { kind: 'buyer_token', token: initialToken } : { kind: 'anonymous' },
  );
  const [loading, setLoading] = useState(!initialToken);

  useEffect(() => {
    if (initialToken) {
      setBearerToken(initialToken);
      return;
    }
    let live = true;
    api
      .get('/api/v1/auth/session', sessionAnswer)
      .then((answer) => {
        if (!live) return;
        setCsrfToken(answer.csrfToken);
        setSession({ kind: 'user', user: answer.user });
      })
      .catch((error: unknown) => {
        if (!(error instanceof ApiError) || error.status >= 500) console.warn('session check failed', error);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [initialToken]);

  const signIn = useCallback(async (email: string, password: string) => {
    const answer = await api.post(
      '/api/v1/auth/login',
      { email, password },
      z.object({ user: sessionUser, csrfToken: z.string() }),
    );
    setCsrfToken(answer.csrfToken);
    setBearerToken(null);
    setSession({ kind: 'user', user: answer.user });
    return answer.user;
  }, []);

  const signOut = useCallback(async () => {
    await api.post('/api/v1/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setBearerToken(null);
    setSession({ kind: 'anonymous' });
  }, []);

  const useBuyerToken = useCallback((token: string) => {
    setBearerToken(token);
    setCsrfToken(null);
    setSession({ kind: 'buyer_token', token });
    setLoading(false);
  }, []);

  return (
    <SessionContext.Provider value={{ session, loading, signIn, signOut, useBuyerToken }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
