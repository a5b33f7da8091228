// The seller's ledger (L1, L2): balances per marketplace and currency, a month's statement with the
// decision behind each line, and the same month as a CSV download.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCodeWords } from '../../shared/codes/codes';
import {
  api,
  ErrorNotice,
  formatDateTime,
  formatMoney,
  formatMonth,
  Loading,
  PortalPage,
  TableWrap,
  useResource,
  useSellerId,
} from '../programs/portal-kit';

type Balance = { marketplace: string; currency: string; balance: number };
type Statement = {
  currency: string;
  month: string;
  opening: number;
  closing: number;
  lines: {
    postedAt: string;
    marketplace: string;
    amount: number;
    description: string;
    decision: { kind: string; id: string };
  }[];
};

export function LedgerPage() {
  const { t } = useTranslation('ledger');
  const seller = useSellerId();
  return (
    <PortalPage title={t('ledgerTitle')}>
      {seller.error && <ErrorNotice error={seller.error} />}
      {!seller.data && !seller.error && <Loading />}
      {seller.data && <Ledger sellerId={seller.data} />}
    </PortalPage>
  );
}

const thisMonth = () => new Date().toISOString().slice(0, 7);

function Ledger({ sellerId }: { sellerId: string }) {
  const code = useCodeWords();
  const { t, i18n } = useTranslation('ledger');
  const lang = i18n.language;
  const base = `/api/v1/sellers/${encodeURIComponent(sellerId)}/ledger`;
  const balances = useResource(() => api<Balance[]>('GET', `${base}/balances`), [base]);
  const currencies = [...new Set(balances.data?.map((b) => b.currency) ?? [])];
  const [month, setMonth] = useState(thisMonth());
  const [chosenCurrency, setCurrency] = useState<string | null>(null);
  const currency = chosenCurrency ?? currencies[0] ?? 'EUR';
  const validMonth = /^20\d\d-(0[1-9]|1[0-2])$/.test(month);
  const statement = useResource(
    () =>
      validMonth
        ? api<Statement>('GET', `${base}/statements/${month}?currency=${currency}`)
        : Promise.resolve(null),
    [base, month, currency, validMonth],
  );
  const money = (minor: number) => formatMoney(minor, currency, lang);

  return (
    <>
      <section aria-labelledby="balances-heading">
        <h2 id="balances-heading">{t('balancesHeading')}</h2>
        <p className="portal-hint">{t('balanceHint')}</p>
        {balances.error && <ErrorNotice error={balances.error} />}
        {balances.data?.length === 0 && <p>{t('noBalances')}</p>}
        {balances.data && balances.data.length > 0 && (
          <TableWrap label={t('balancesHeading')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('marketplace')}</th>
                  <th scope="col">{t('balance')}</th>
                </tr>
              </thead>
              <tbody>
                {balances.data.map((b) => (
                  <tr key={`${b.marketplace}-${b.currency}`}>
                    <th scope="row">{b.marketplace}</th>
                    <td className={b.balance < 0 ? 'portal-negative' : undefined}>
                      {formatMoney(b.balance, b.currency, lang)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
      <section aria-labelledby="statement-heading">
        <h2 id="statement-heading">{t('statementHeading')}</h2>
        <div className="portal-inline-form">
          <label htmlFor="statement-month">{t('month')}</label>
          <input id="statement-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
          {currencies.length > 1 && (
            <>
              <label htmlFor="statement-currency">{t('currency')}</label>
              <select id="statement-currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </>
          )}
        </div>
        {statement.error && <ErrorNotice error={statement.error} />}
        {statement.data && (
          <>
            <p>
              <a
                href={`${base}/statements/${month}/csv?currency=${currency}`}
                download={`statement-${month}-${currency}.csv`}
              >
                {t('downloadCsv', { month: formatMonth(month, lang) })}
              </a>
            </p>
            <TableWrap label={t('statementHeading')}>
              <table>
                <caption>
                  {formatMonth(month, lang)} · {currency}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('postedAt')}</th>
                    <th scope="col">{t('marketplace')}</th>
                    <th scope="col">{t('description')}</th>
                    <th scope="col">{t('decision')}</th>
                    <th scope="col">{t('amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row" colSpan={4}>
                      {t('opening')}
                    </th>
                    <td>{money(statement.data.opening)}</td>
                  </tr>
                  {statement.data.lines.length === 0 && (
                    <tr>
                      <td colSpan={5}>{t('noLines')}</td>
                    </tr>
                  )}
                  {statement.data.lines.map((l) => (
                    <tr key={`${l.decision.kind}-${l.decision.id}-${l.postedAt}`}>
                      <td>
                        <time dateTime={l.postedAt}>{formatDateTime(l.postedAt, lang)}</time>
                      </td>
                      <td>{l.marketplace}</td>
                      {/* Written by the server when the line was posted, in English (the ledger is append-only). */}
                      <td lang="en">{l.description}</td>
                      <td>
                        {code('ledgerDecision', l.decision.kind)} <code>{l.decision.id}</code>
                      </td>
                      <td className={l.amount < 0 ? 'portal-negative' : undefined}>{money(l.amount)}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row" colSpan={4}>
                      {t('closing')}
                    </th>
                    <td>
                      <strong>{money(statement.data.closing)}</strong>
                    </td>
                  </tr>
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </section>
    </>
  );
}
