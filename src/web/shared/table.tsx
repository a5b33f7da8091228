import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type Column<Row> = {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Numbers and money are right-aligned. */
  numeric?: boolean;
};

/** A plain, accessible table: a caption, header cells with scope, an empty state in words. */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  empty,
  captionHidden,
}: {
  caption: string;
  /** When a heading above already names the table, the caption is for screen readers only. */
  captionHidden?: boolean;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  empty?: string;
}) {
  const { t } = useTranslation('shared');
  if (rows.length === 0)
    return (
      <section className="table-empty" aria-label={caption}>
        <p>{empty ?? t('emptyTable')}</p>
      </section>
    );
  return (
    // A table wider than a phone scrolls sideways: the region is named and focusable so keyboard
    // users can scroll it too (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus (WCAG 2.1.1)
    <section className="table-scroll" aria-label={caption} tabIndex={0}>
      <table>
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? 'numeric' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} className={c.numeric ? 'numeric' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
