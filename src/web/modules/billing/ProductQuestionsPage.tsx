// What the detail page could have prevented (S6): per product and language, the product questions
// buyers asked, how many the page answered and how many needed the seller, with those questions.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../shared/api';
import { Chart, chartColors } from '../../shared/chart';
import { ErrorMessage } from '../../shared/errors';
import { SelectField } from '../../shared/forms';
import { Page } from '../../shared/layout';
import { useSession } from '../../shared/session';
import { DataTable } from '../../shared/table';
import { useApi } from '../../shared/use-api';
import { useMarketplaces } from './seller-parts';
import './billing.css';

type ProductQuestions = {
  product: string;
  sku: string | null;
  language: string;
  pageTitle: string | null;
  asked: number;
  answeredFromPage: number;
  neededSeller: number;
  questionsToSeller: { question: string; answer: string | null; askedAt: string }[];
};

export function ProductQuestionsPage() {
  const { t } = useTranslation('billing');
  const { session } = useSession();
  const sellerId = session.kind === 'user' ? session.user.sellerId : null;
  const marketplaces = useMarketplaces(sellerId);
  const [chosen, setChosen] = useState<string | null>(null);
  const marketplace = chosen ?? marketplaces.data?.[0] ?? null;
  return (
    <Page title={t('pqTitle')}>
      <p>{t('pqIntro')}</p>
      {marketplaces.error ? <ErrorMessage error={marketplaces.error} /> : null}
      {marketplaces.data?.length === 0 && <p>{t('notEnrolledAnywhere')}</p>}
      {marketplaces.data && marketplaces.data.length > 1 && (
        <SelectField
          label={t('marketplace')}
          value={marketplace ?? ''}
          onChange={(e) => setChosen(e.target.value)}
          options={marketplaces.data.map((m) => ({ value: m, label: m }))}
        />
      )}
      {sellerId && marketplace && (
        <Questions key={marketplace} sellerId={sellerId} marketplace={marketplace} />
      )}
    </Page>
  );
}

function Questions({ sellerId, marketplace }: { sellerId: string; marketplace: string }) {
  const { t } = useTranslation('billing');
  const rows = useApi(
    () =>
      request<ProductQuestions[]>(
        'GET',
        `/api/v1/sellers/${encodeURIComponent(sellerId)}/product-questions?marketplace=${marketplace}`,
      ),
    [sellerId, marketplace],
  );
  if (rows.error) return <ErrorMessage error={rows.error} />;
  if (!rows.data) return <p aria-live="polite">{t('loading')}</p>;
  const label = (r: ProductQuestions) => `${r.pageTitle ?? r.product} (${r.language})`;
  return (
    <>
      {rows.data.length > 0 && (
        <Chart
          title={t('pqChart')}
          xLabels={rows.data.map(label)}
          series={[
            {
              label: t('answeredFromPage'),
              values: rows.data.map((r) => r.answeredFromPage),
              kind: 'bars',
              color: chartColors[2]!,
            },
            {
              label: t('neededSeller'),
              values: rows.data.map((r) => r.neededSeller),
              kind: 'bars',
              color: chartColors[1]!,
            },
          ]}
        />
      )}
      <DataTable
        caption={t('pqTable')}
        rows={rows.data}
        rowKey={(r) => `${r.product}-${r.language}`}
        empty={t('pqNone')}
        columns={[
          { header: t('product'), cell: (r) => r.pageTitle ?? r.product },
          { header: t('language'), cell: (r) => r.language },
          { header: t('asked'), cell: (r) => r.asked, numeric: true },
          { header: t('answeredFromPage'), cell: (r) => r.answeredFromPage, numeric: true },
          { header: t('neededSeller'), cell: (r) => r.neededSeller, numeric: true },
          {
            header: t('whatToAdd'),
            cell: (r) =>
              r.questionsToSeller.length === 0 ? (
                '—'
              ) : (
                <ul>
                  {r.questionsToSeller.map((q) => (
                    <li key={q.askedAt + q.question}>
                      {q.question}
                      {q.answer ? ` → ${q.answer}` : ''}
                    </li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
    </>
  );
}
