// A small chart on uPlot for every page that draws figures over time. A canvas says nothing to a screen
// reader, so each chart carries its title, an aria-label with the figures in words, and the same figures
// as a table under a disclosure (which is also what a test reads).
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartSeries = {
  label: string;
  values: readonly (number | null)[];
  /** Lines join points; bars stand apart; a limit is a dashed line (a band's edge, a target). */
  kind?: 'line' | 'bars' | 'limit';
  color: string;
};

/** Colours with at least 3:1 contrast on white, told apart without colour too by the legend and table. */
export const chartColors = ['#1f5fa8', '#b3541e', '#2e7d32', '#7b1fa2', '#8d6e00', '#c2185b', '#455a64'];

/** The figures in words, series by series: "CPU: June 3 %, July 4 %." */
export function chartSummary(
  title: string,
  xLabels: readonly string[],
  series: readonly ChartSeries[],
  format: (value: number) => string,
) {
  const parts = series.map((s) => {
    const shown = xLabels
      .map((x, i) =>
        s.values[i] === null || s.values[i] === undefined ? null : `${x} ${format(s.values[i]!)}`,
      )
      .filter(Boolean);
    return `${s.label}: ${shown.join(', ') || '—'}`;
  });
  return `${title}. ${parts.join('. ')}.`;
}

export function Chart({
  title,
  xLabels,
  axisLabels = xLabels,
  series,
  format = (v) => String(v),
  height = 220,
  yRange,
}: {
  title: string;
  /** What each point is, in words (the summary and the table). */
  xLabels: readonly string[];
  /** The same, short enough for the axis under the canvas ("Sep 26"). */
  axisLabels?: readonly string[];
  series: readonly ChartSeries[];
  format?: (value: number) => string;
  height?: number;
  /** A fixed scale (percentages: 0–100) instead of one fitted to the figures. */
  yRange?: readonly [number, number];
}) {
  const { t } = useTranslation('shared');
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const summary = chartSummary(title, xLabels, series, format);
  const empty = series.every(
    (s) => s.kind === 'limit' || s.values.every((v) => v === null || v === undefined),
  );
  const key = JSON.stringify([axisLabels, series]);
  // Bars are read by their length, so their scale starts at zero; lines may zoom on their range.
  const fromZero = series.some((s) => s.kind === 'bars');

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the figures drawn
  useEffect(() => {
    const el = box.current;
    if (!el || axisLabels.length === 0) return;
    const xs = axisLabels.map((_, i) => i);
    // Two bar series stand side by side (left and right of their point); more are drawn as lines, since
    // thin bars of many colours are harder to read than lines.
    const barCount = series.filter((s) => s.kind === 'bars').length;
    let barIndex = 0;
    const barsOf = () =>
      barCount === 1
        ? uPlot.paths.bars?.({ size: [0.6, 40] })
        : barCount === 2
          ? uPlot.paths.bars?.({ size: [0.35, 24], align: barIndex++ === 0 ? -1 : 1 })
          : undefined;
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: true },
        cursor: { show: true, points: { show: false } },
        scales: {
          x: { time: false, range: [-0.5, axisLabels.length - 0.5] },
          ...(yRange
            ? { y: { range: [yRange[0], yRange[1]] as uPlot.Range.MinMax } }
            : fromZero
              ? { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] as uPlot.Range.MinMax } }
              : {}),
        },
        axes: [
          {
            values: (_u, ticks) => ticks.map((i) => (Number.isInteger(i) ? (axisLabels[i] ?? '') : '')),
            // Every point on a short axis; on a long one, every n-th so the labels do not overlap.
            splits: (u) => {
              const step = Math.max(1, Math.ceil(xs.length / Math.max(1, Math.floor(u.width / 80))));
              return xs.filter((i) => i % step === 0);
            },
          },
          { values: (_u, ticks) => ticks.map(format), size: 64 },
        ],
        series: [
          {},
          ...series.map((s) => {
            const bars = s.kind === 'bars' ? barsOf() : undefined;
            return {
              label: s.label,
              stroke: s.color,
              width: s.kind === 'limit' ? 1.5 : 2,
              ...(s.kind === 'limit' ? { dash: [6, 4], points: { show: false } } : {}),
              ...(bars ? { paths: bars, fill: `${s.color}99`, points: { show: false } } : {}),
              value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)),
            };
          }),
        ],
      },
      [xs, ...series.map((s) => [...s.values])] as uPlot.AlignedData,
      el,
    );
    // Follows the page's width (a phone turned, a window resized).
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [key, height, yRange?.[0], yRange?.[1]]);

  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {title}
      </figcaption>
      {empty && <p className="hint">{t('chartEmpty')}</p>}
      <div ref={box} className="chart-canvas" role="img" aria-label={summary} />
      <details className="chart-figures">
        <summary>{t('chartFigures')}</summary>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls by keyboard */}
        <section className="table-scroll" tabIndex={0} aria-label={title}>
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <td />
                {series.map((s) => (
                  <th key={s.label} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {xLabels.map((x, i) => (
                <tr key={x}>
                  <th scope="row">{x}</th>
                  {series.map((s) => (
                    <td key={s.label} className="numeric">
                      {s.values[i] === null || s.values[i] === undefined ? '—' : format(s.values[i]!)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </details>
    </figure>
  );
}
