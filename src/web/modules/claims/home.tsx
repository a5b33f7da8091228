import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/layout';

export function ClaimsHome() {
  const { t } = useTranslation('claims');
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
    </Page>
  );
}
