import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { csvRow } from './csv.js';

export type DownloadFormat = 'csv' | 'json';

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
  png: 'image/png',
  zip: 'application/zip',
};

export function asDownload(response: Response, filename: string, type: keyof typeof contentTypes): Response {
  return response.attachment(filename).type(contentTypes[type]);
}

/**
 * Streams a download as it is produced, respecting back-pressure. A client that goes away, or an
 * error half-way, stops the source (closing its database cursor) and ends the connection, so a
 * failed download is seen as failed instead of hanging.
 */
export async function streamDownload(
  response: Response,
  filename: string,
  type: DownloadFormat,
  chunks: AsyncIterable<string>,
): Promise<void> {
  asDownload(response, filename, type);
  try {
    await pipeline(Readable.from(chunks), response);
  } catch (error) {
    // The client went away: nothing to tell anyone, and the source is already stopped.
    if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    throw error;
  }
}

/** A small table, whole: its header and rows as CSV, or `json` as a JSON document. */
export function sendTable(
  response: Response,
  format: DownloadFormat,
  filename: string,
  json: unknown,
  header: unknown[],
  rows: unknown[][],
): void {
  if (format === 'json') {
    asDownload(response, `${filename}.json`, 'json').send(JSON.stringify(json, null, 2));
    return;
  }
  asDownload(response, `${filename}.csv`, 'csv').send([header, ...rows].map(csvRow).join(''));
}
