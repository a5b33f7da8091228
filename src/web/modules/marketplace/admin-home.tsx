import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import './admin.css';

const sections = [
  ['/admin/marketplaces', 'homeMarketplaces', 'homeMarketplacesText'],
  ['/admin/users', 'homeUsers', 'homeUsersText'],
  ['/admin/agents', 'homeAgents', 'homeAgentsText'],
  ['/admin/api-keys', 'homeApiKeys', 'homeApiKeysText'],
  ['/admin/webhooks', 'homeWebhooks', 'homeWebhooksText'],
  ['/admin/outbox', 'homeOutbox', 'homeOutboxText'],
] as const;

/** The operator's home: what can be set up here, one card per section. */
export function AdminHome() {
  const { t } = useTranslation('marketplace');
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
      <ul className="admin-cards">
        {sections.map(([href, title, text]) => (
          <li key={href}>
            <h2>
              <Link href={href}>{t(title)}</Link>
            </h2>
            <p>{t(text)}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}
