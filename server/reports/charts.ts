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
  /** The base and coverage, shown under the chart and inside a downloaded file. */
  caption: string;
  /** For screen readers: the caption and every figure. */
  description: string;
  colour: string;
  width: number;
  height: number;
  labelWidth: number;
  barHeight: number;
  rows: { y: number; lines: string[]; length: number; figure: string }[];
}

const LINE_CHARACTERS = 40;
const LINE_HEIGHT = 17;

/** A label split into lines at spaces, so a long label is shown whole rather than cut off. */
export function wrapLabel(label: string, width = LINE_CHARACTERS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/**
 * A bar chart drawn on the server: a title and a description for screen readers, and each bar
 * labelled with its count and percentage, so the figures survive without the picture. Bars are
 * drawn in the order given: callers sort by size unless the question has an order of its own.
 */
export function barChart({
  id,
  title,
  caption,
  bars,
  colour = '#1d70b8',
}: {
  id: string;
  title: string;
  caption: string;
  bars: Bar[];
  colour?: string;
}): BarChart {
  const labelWidth = 300;
  const barArea = 360;
  const max = Math.max(1, ...bars.map((bar) => bar.percent));
  let y = 8;
  const rows = bars.map((bar) => {
    const lines = wrapLabel(bar.label);
    const row = {
      y,
      lines,
      length: Math.max(bar.count > 0 ? 2 : 0, (bar.percent / max) * barArea),
      figure: `${bar.count} (${bar.percent.toFixed(0)}%)`,
    };
    y += Math.max(28, lines.length * LINE_HEIGHT + 11);
    return row;
  });
  const description = `${caption} ${bars.map((bar) => `${bar.label}: ${bar.count} (${bar.percent.toFixed(0)}%)`).join('; ')}.`;
  return {
    id,
    title,
    caption,
    description,
    colour,
    labelWidth,
    barHeight: 18,
    width: labelWidth + barArea + 110,
    height: y + 8,
    rows,
  };
}

/** Bars largest first (ties keep their order), as a report's figures are read. */
export const bySize = <T extends { count: number }>(items: T[]): T[] => [...items].sort((a, b) => b.count - a.count);

export function percentOf(count: number, base: number): number {
  return base === 0 ? 0 : (100 * count) / base;
}
