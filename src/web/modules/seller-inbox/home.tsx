import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/layout';

// First home of the seller portal; the portal's helper fills it. Never a CS–buyer message here (K5).
export function SellerHome() {
  const { t } = useTranslation('seller-inbox');
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
    </Page>
  );
}
