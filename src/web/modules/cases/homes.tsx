import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/layout';

// First homes of the agent console and the supervisor's pages; the console's helpers fill them.
export function AgentHome() {
  const { t } = useTranslation('cases');
  return (
    <Page title={t('agentTitle')}>
      <p>{t('agentIntro')}</p>
    </Page>
  );
}

export function SupervisorHome() {
  const { t } = useTranslation('cases');
  return (
    <Page title={t('supervisorTitle')}>
      <p>{t('supervisorIntro')}</p>
    </Page>
  );
}
