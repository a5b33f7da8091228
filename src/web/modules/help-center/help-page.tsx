import { useTranslation } from 'react-i18next';
import { Page } from '../../shared/layout';

export function HelpPage(_props: { params: Record<string, string> }) {
  const { t } = useTranslation('help-center');
  return (
    <Page title={t('title')}>
      <p>{t('intro')}</p>
    </Page>
  );
}
