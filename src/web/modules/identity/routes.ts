import type { WebRoute } from '../../shared/routes';
import { identityAdminRoutes } from './identity-admin/admin-routes';
import { SignInPage } from './signin-page';

export const routes: WebRoute[] = [
  { path: '/signin', access: 'public', page: SignInPage },
  ...identityAdminRoutes,
];
