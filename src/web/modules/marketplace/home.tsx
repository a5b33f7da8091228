import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/layout';

// First home of the admin pages; the admin pages' helper fills it.
export function AdminHome() {
  const { t } = useTranslation('marketplace');
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
    </Page>
  );
}
