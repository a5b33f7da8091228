import type { WebRoute } from '../../shared/routes';
import { AgentHome, SupervisorHome } from './homes';

export const routes: WebRoute[] = [
  {
    path: '/agent',
    access: ['agent', 'supervisor'],
    page: AgentHome,
    nav: { label: 'cases:agentNav', order: 10 },
  },
  {
    path: '/supervisor',
    access: ['supervisor'],
    page: SupervisorHome,
    nav: { label: 'cases:supervisorNav', order: 20 },
  },
];
