import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../shared/errors';
import { Button, TextField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { navigate, Redirect, useLocation } from '../../shared/router';
import { homeOf, roleOf, useSession } from '../../shared/session';

/** Only a path on this site is followed after sign-in (no open redirect to another origin). */
const safeNext = (next: string | null) => (next?.startsWith('/') && !next.startsWith('//') ? next : null);

export function SignInPage() {
  const { t } = useTranslation('identity');
  const { session, signIn } = useSession();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const role = roleOf(session);
  if (role && !busy) return <Redirect to={safeNext(search.get('next')) ?? homeOf[role]} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await signIn(email, password);
      navigate(safeNext(search.get('next')) ?? homeOf[user.role], { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      <form className="form narrow" onSubmit={submit} noValidate>
        <TextField
          label={t('email')}
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label={t('password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorMessage error={error} />
        <Button type="submit" busy={busy}>
          {busy ? t('signingIn') : t('submit')}
        </Button>
      </form>
    </Page>
  );
}
