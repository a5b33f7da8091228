import { useTranslation } from 'react-i18next';
import { Layout, Page } from './shared/layout';
import { Link, matchPath, Redirect, useLocation } from './shared/router';
import type { WebRoute } from './shared/routes';
import { homeOf, roleOf, useSession } from './shared/session';

// Every module's pages, from `modules/<module>/routes.ts`: adding a module adds its pages.
const found = import.meta.glob<{ routes: WebRoute[] }>('./modules/*/routes.ts', { eager: true });
export const allRoutes: WebRoute[] = Object.values(found).flatMap((m) => m.routes);

function findRoute(pathname: string): { route: WebRoute; params: Record<string, string> } | null {
  // Exact patterns before catch-alls, so `/agent/cases/:id` wins over `/agent/*`.
  const ordered = [...allRoutes].sort((a, b) => Number(a.path.endsWith('*')) - Number(b.path.endsWith('*')));
  for (const route of ordered) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

export function App() {
  const { t } = useTranslation('shared');
  const { session, loading } = useSession();
  const { pathname, search } = useLocation();
  const role = roleOf(session);

  if (loading)
    return (
      <p className="loading" role="status">
        {t('loading')}
      </p>
    );
  if (pathname === '/' || pathname === '') return <Redirect to={role ? homeOf[role] : '/signin'} />;

  const found = findRoute(pathname);
  if (!found)
    return (
      <Layout routes={allRoutes}>
        <Page title={t('notFoundTitle')}>
          <p>{t('notFoundText')}</p>
          <Link href="/">{t('goHome')}</Link>
        </Page>
      </Layout>
    );
  const { route, params } = found;
  if (route.access !== 'public') {
    if (!role) {
      const next = encodeURIComponent(pathname + (search.size ? `?${search}` : ''));
      return <Redirect to={`/signin?next=${next}`} />;
    }
    if (!route.access.includes(role))
      return (
        <Layout routes={allRoutes}>
          <Page title={t('forbiddenTitle')}>
            <p>{t('forbiddenText')}</p>
            <Link href={homeOf[role]}>{t('goHome')}</Link>
          </Page>
        </Layout>
      );
  }
  const Content = route.page;
  if (route.bare) return <Content params={params} />;
  return (
    <Layout routes={allRoutes}>
      <Content params={params} />
    </Layout>
  );
}
