export interface Bar {
  label: string;
  count: number;
  /** Share of the base, 0-100. */
  percent: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A horizontal bar chart as SVG, drawn on the server: a title and a description for screen readers,
 * and each bar labelled with its count and percentage, so the figures survive without the picture.
 */
export function barChart({ id, title, description, bars, colour = '#1d70b8' }: { id: string; title: string; description: string; bars: Bar[]; colour?: string }): string {
  const labelWidth = 300;
  const barArea = 360;
  const rowHeight = 28;
  const width = labelWidth + barArea + 110;
  const height = bars.length * rowHeight + 16;
  const max = Math.max(1, ...bars.map((bar) => bar.percent));
  const rows = bars
    .map((bar, index) => {
      const y = 8 + index * rowHeight;
      const length = Math.max(bar.count > 0 ? 2 : 0, (bar.percent / max) * barArea);
      const label = bar.label.length > 44 ? `${bar.label.slice(0, 43)}…` : bar.label;
      return (
        `<g><text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${escape(label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${length.toFixed(1)}" height="${rowHeight - 10}" fill="${escape(colour)}"/>` +
        `<text x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 17}">${bar.count} (${bar.percent.toFixed(0)}%)</text></g>`
      );
    })
    .join('');
  return (
    `<svg class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif" font-size="14" fill="#0b0c0c">` +
    `<title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>${rows}</svg>`
  );
}

export function percentOf(count: number, base: number): number {
  return base === 0 ? 0 : (100 * count) / base;
}
