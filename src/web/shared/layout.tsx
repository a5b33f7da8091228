import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage } from '../i18n';
import { isWebLanguage, languageNames, webLanguages } from './languages';
import { Link, navigate, useLocation } from './router';
import type { WebRoute } from './routes';
import { homeOf, roleOf, useSession } from './session';

/** Label `namespace:key` of a nav entry, translated. */
function NavLabel({ label }: { label: string }) {
  const [ns = 'shared', key = label] = label.includes(':') ? label.split(':') : ['shared', label];
  const { t } = useTranslation(ns);
  return <>{t(key)}</>;
}

export function LanguageSwitch() {
  const { t, i18n } = useTranslation('shared');
  return (
    <label className="language-switch">
      <span>{t('language')}</span>
      <select
        value={i18n.language}
        onChange={(e) => {
          if (isWebLanguage(e.target.value)) void changeLanguage(e.target.value);
        }}
      >
        {webLanguages.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {languageNames[lang]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The frame of every page: skip link, header with the role's navigation, language switch, sign-out. */
export function Layout({ routes, children }: { routes: readonly WebRoute[]; children: ReactNode }) {
  const { t } = useTranslation('shared');
  const { session, signOut } = useSession();
  const { pathname } = useLocation();
  const role = roleOf(session);
  const nav = role
    ? routes
        .filter((r) => r.nav && r.access !== 'public' && r.access.includes(role))
        .sort((a, b) => a.nav!.order - b.nav!.order)
    : [];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <Link className="brand" href={role ? homeOf[role] : '/signin'}>
          {t('appName')}
        </Link>
        {nav.length > 0 && (
          <nav aria-label={t('mainNavigation')}>
            <ul>
              {nav.map((r) => (
                <li key={r.path}>
                  <Link href={r.path} aria-current={pathname === r.path ? 'page' : undefined}>
                    <NavLabel label={r.nav!.label} />
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="header-tools">
          <LanguageSwitch />
          {session.kind === 'user' && (
            <>
              <span className="who">{t('signedInAs', { name: session.user.displayName })}</span>
              <button
                type="button"
                className="button secondary"
                onClick={() => void signOut().then(() => navigate('/signin'))}
              >
                {t('signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** A page's heading and body; sets the document title so each page is named. */
export function Page({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  const { t } = useTranslation('shared');
  if (typeof document !== 'undefined') document.title = `${title} · ${t('appName')}`;
  return (
    <div className="page">
      <div className="page-heading">
        <h1>{title}</h1>
        {actions}
      </div>
      {children}
    </div>
  );
}
