import type { WebRoute } from '../../shared/routes';
import { CaseLogPage } from './CaseLogPage';

export const routes: WebRoute[] = [
  {
    path: '/seller/case-log',
    access: ['seller'],
    page: CaseLogPage,
    nav: { label: 'programs:nav.caseLog', order: 20 },
  },
];
