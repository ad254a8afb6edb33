import type { Response } from 'express';
import { Resvg } from '@resvg/resvg-js';
import type { UserModel } from '../auth/user-model.js';
import type { CodingContext } from '../coding/target.js';
import { asDownload, sendTable } from '../http/download.js';
import { NotFoundError } from '../http/errors.js';
import type { ResponseModel } from '../surveys/responses/model.js';
import type { SurveySchedules } from '../surveys/schedule.js';
import type { BarChart } from './charts.js';

/** What the outputs read: the coding context, the responses, and the accounts (for coders' names). */
export interface ReportContext extends CodingContext {
  responses: ResponseModel;
  users: UserModel;
  /** Breakdown columns with fewer answers than this show counts but no percentages. */
  minimumBase: number;
  schedules: SurveySchedules;
  now: () => Date;
}

export const outputFormats = ['html', 'csv', 'json', 'svg', 'png'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/**
 * One output, ready to be sent in any format: its page (a view and what it shows), its table for
 * CSV, its JSON, and its charts as SVG or PNG files. Each report module builds one; `sendOutput`
 * is the only place they are sent.
 */
export interface Output {
  /** The download's file name, without its extension. */
  filename: string;
  view: string;
  locals: () => Record<string, unknown>;
  table: () => { header: unknown[]; rows: unknown[][] };
  json: () => unknown;
  charts?: () => BarChart[];
}

/** A link to the same output in another format (or one of its charts as a file). */
function linkTo(originalUrl: string, format: OutputFormat, chart?: string): string {
  const url = new URL(originalUrl, 'http://host');
  url.searchParams.set('format', format);
  if (chart) url.searchParams.set('chart', chart);
  else url.searchParams.delete('chart');
  return `${url.pathname}${url.search}`;
}

function renderChart(response: Response, chart: BarChart): Promise<string> {
  return new Promise((resolve, reject) => {
    response.app.render('partials/bar-chart', { chart, standalone: true }, (error, svg) =>
      error ? reject(error) : resolve(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`),
    );
  });
}

export async function sendOutput(
  response: Response,
  format: OutputFormat,
  output: Output,
  chartId?: string,
): Promise<void> {
  if (format === 'html') {
    const originalUrl = response.req.originalUrl;
    response.render(output.view, {
      ...output.locals(),
      linkTo: (to: OutputFormat, chart?: string) => linkTo(originalUrl, to, chart),
    });
    return;
  }
  if (format === 'svg' || format === 'png') {
    const chart = output.charts?.().find((candidate) => candidate.id === chartId);
    if (!chart) throw new NotFoundError('There is no such chart on this page.');
    const svg = await renderChart(response, chart);
    const name = `${output.filename}-${chart.id}.${format}`;
    if (format === 'svg') {
      asDownload(response, name, 'svg').send(svg);
      return;
    }
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: 2 },
      font: { loadSystemFonts: true, defaultFontFamily: 'Liberation Sans' },
    })
      .render()
      .asPng();
    asDownload(response, name, 'png').send(png);
    return;
  }
  const { header, rows } = output.table();
  sendTable(response, format, output.filename, format === 'json' ? output.json() : undefined, header, rows);
}
