import type { Response } from 'express';
import type { UserModel } from '../auth/user-model.js';
import type { CodingContext } from '../coding/target.js';
import { sendTable } from '../http/download.js';
import type { ResponseModel } from '../surveys/responses/model.js';

/** What the outputs read: the coding context, the responses, and the accounts (for coders' names). */
export interface ReportContext extends CodingContext {
  responses: ResponseModel;
  users: UserModel;
}

export type OutputFormat = 'html' | 'csv' | 'json';

/**
 * One output, ready to be sent in any format: its page (a view and what it shows), its table for
 * CSV, and its JSON. Each report module builds one; `sendOutput` is the only place they are sent.
 */
export interface Output {
  /** The download's file name, without its extension. */
  filename: string;
  view: string;
  locals: () => Record<string, unknown>;
  table: () => { header: unknown[]; rows: unknown[][] };
  json: () => unknown;
}

export function sendOutput(response: Response, format: OutputFormat, output: Output): void {
  if (format === 'html') {
    response.render(output.view, output.locals());
    return;
  }
  const { header, rows } = output.table();
  sendTable(response, format, output.filename, format === 'json' ? output.json() : undefined, header, rows);
}
