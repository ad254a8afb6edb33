export interface Bar {
  label: string;
  count: number;
  /** Share of the base, 0-100. */
  percent: number;
}

/** A horizontal bar chart laid out for views/partials/bar-chart.ejs, which draws it as SVG (escaping every label). */
export interface BarChart {
  id: string;
  title: string;
  description: string;
  colour: string;
  width: number;
  height: number;
  labelWidth: number;
  rowHeight: number;
  rows: { y: number; label: string; length: number; figure: string }[];
}

/**
 * A bar chart drawn on the server: a title and a description for screen readers, and each bar
 * labelled with its count and percentage, so the figures survive without the picture.
 */
export function barChart({
  id,
  title,
  description,
  bars,
  colour = '#1d70b8',
}: {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  colour?: string;
}): BarChart {
  const labelWidth = 300;
  const barArea = 360;
  const rowHeight = 28;
  const max = Math.max(1, ...bars.map((bar) => bar.percent));
  return {
    id,
    title,
    description,
    colour,
    labelWidth,
    rowHeight,
    width: labelWidth + barArea + 110,
    height: bars.length * rowHeight + 16,
    rows: bars.map((bar, index) => ({
      y: 8 + index * rowHeight,
      label: bar.label.length > 44 ? `${bar.label.slice(0, 43)}…` : bar.label,
      length: Math.max(bar.count > 0 ? 2 : 0, (bar.percent / max) * barArea),
      figure: `${bar.count} (${bar.percent.toFixed(0)}%)`,
    })),
  };
}

export function percentOf(count: number, base: number): number {
  return base === 0 ? 0 : (100 * count) / base;
}
