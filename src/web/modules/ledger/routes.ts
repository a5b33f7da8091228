import type { WebRoute } from '../../shared/routes';
import { DecisionsPage } from './DecisionsPage';
import { LedgerPage } from './LedgerPage';

export const routes: WebRoute[] = [
  {
    path: '/seller/decisions',
    access: ['seller'],
    page: DecisionsPage,
    nav: { label: 'programs:nav.decisions', order: 30 },
  },
  {
    path: '/seller/ledger',
    access: ['seller'],
    page: LedgerPage,
    nav: { label: 'programs:nav.ledger', order: 40 },
  },
];
