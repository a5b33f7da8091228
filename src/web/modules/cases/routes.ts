import type { WebRoute } from '../../shared/routes';
import { CaseRoute } from './CasePage';
import { QueuePage } from './QueuePage';
import { SavedRepliesPage } from './SavedRepliesPage';
import { SearchPage } from './SearchPage';
import { SupervisorPage } from './SupervisorPage';

export const routes: WebRoute[] = [
  {
    path: '/agent',
    access: ['agent', 'supervisor'],
    page: QueuePage,
    nav: { label: 'cases:agentNav', order: 10 },
  },
  {
    path: '/agent/search',
    access: ['agent', 'supervisor'],
    page: SearchPage,
    nav: { label: 'cases:searchNav', order: 15 },
  },
  { path: '/agent/cases/:ref', access: ['agent', 'supervisor'], page: CaseRoute },
  {
    path: '/supervisor',
    access: ['supervisor'],
    page: SupervisorPage,
    nav: { label: 'cases:supervisorNav', order: 20 },
  },
  {
    path: '/admin/saved-replies',
    access: ['supervisor', 'admin'],
    page: SavedRepliesPage,
    nav: { label: 'cases:savedRepliesNav', order: 25 },
  },
];
