import type { WebRoute } from '../../../shared/routes';
import { AgentsPage } from './agents-page';
import { ApiKeysPage } from './api-keys-page';
import { UsersPage } from './users-page';

// The identity module's admin pages; identity/routes.ts lists them beside the sign-in page.
export const identityAdminRoutes: WebRoute[] = [
  {
    path: '/admin/users',
    access: ['admin'],
    page: UsersPage,
    nav: { label: 'identity-admin:navUsers', order: 12 },
  },
  {
    path: '/admin/agents',
    access: ['admin'],
    page: AgentsPage,
    nav: { label: 'identity-admin:navAgents', order: 13 },
  },
  {
    path: '/admin/api-keys',
    access: ['admin'],
    page: ApiKeysPage,
    nav: { label: 'identity-admin:navApiKeys', order: 14 },
  },
];
