import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../shared/api';
import { ErrorMessage } from '../../shared/errors';
import { Page } from '../../shared/layout';
import { Link } from '../../shared/router';
import { DataTable } from '../../shared/table';
import { useLoad } from './admin-parts';

export const marketplaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  currency: z.string(),
  languages: z.array(z.string()),
  defaultLanguage: z.string(),
  timeZone: z.string(),
});
export type Marketplace = z.infer<typeof marketplaceSchema>;
export const loadMarketplaces = () => api.get('/api/v1/marketplaces', z.array(marketplaceSchema));

export function MarketplacesPage() {
  const { t } = useTranslation('marketplace');
  const { data, error } = useLoad(loadMarketplaces, []);
  return (
    <Page title={t('marketplacesTitle')}>
      <p>{t('marketplacesIntro')}</p>
      <ErrorMessage error={error} />
      {data && (
        <DataTable
          caption={t('marketplacesTitle')}
          rows={data}
          rowKey={(m) => m.id}
          columns={[
            {
              header: t('marketplace'),
              cell: (m) => <Link href={`/admin/marketplaces/${encodeURIComponent(m.id)}`}>{m.name}</Link>,
            },
            { header: t('code'), cell: (m) => m.id },
            { header: t('currency'), cell: (m) => m.currency },
            { header: t('languages'), cell: (m) => m.languages.join(', ') },
            { header: t('timeZone'), cell: (m) => m.timeZone },
          ]}
        />
      )}
    </Page>
  );
}
