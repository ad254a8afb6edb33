import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { ErrorRequestHandler, Request } from 'express';
import { z } from 'zod';
import { AppError, BadRequestError, NotFoundError } from './errors.js';

/** An upload nobody confirmed is deleted after a day. */
const UPLOAD_LIFETIME_MS = 24 * 3600 * 1000;

export const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/);

export interface Upload {
  id: string;
  file: string;
  originalName: string;
  by: string;
}

/** Where uploads wait between the upload and the step that uses them (shared by the app's processes). */
export function uploadsDirectory(): string {
  return path.join(os.tmpdir(), 'survey-platform-uploads');
}

class UploadTooLargeError extends AppError {
  constructor(maxBytes: number) {
    super(413, `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`, 'error.badRequest.title');
  }
}

export interface UploadOptions {
  /** Who uploads: only they can use the upload afterwards. */
  by: string;
  maxBytes: number;
  /** What to ask for when no file came: "Choose a CSV or XLSX file to upload." */
  missingMessage: string;
  /**
   * Checks the fields sent before the file (the form's CSRF token comes first), throwing to refuse
   * the upload before a byte of the file is written.
   */
  checkFields(fields: Record<string, string>): void;
}

export interface ReceivedUpload extends Upload {
  /** The form's other fields. */
  fields: Record<string, string>;
}

/** Receives one file from a multipart form into the uploads folder. */
export async function receiveUpload(request: Request, options: UploadOptions): Promise<ReceivedUpload> {
  const { by, maxBytes } = options;
  if (!request.is('multipart/form-data')) throw new BadRequestError(options.missingMessage);
  const directory = uploadsDirectory();
  await fs.promises.mkdir(directory, { recursive: true, mode: 0o700 });
  await sweepOldUploads(directory);
  const id = crypto.randomBytes(24).toString('base64url');
  const file = path.join(directory, `${id}.upload`);
  const fields: Record<string, string> = {};
  let originalName = '';
  let writing: Promise<void> | undefined;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      limits: { files: 1, fields: 10, fieldSize: 64 * 1024, fileSize: maxBytes },
    });
  } catch {
    throw new BadRequestError('The upload was not a file form this site sends. Go back and try again.');
  }
  const done = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream, info) => {
      try {
        options.checkFields(fields);
      } catch (error) {
        // Discard the file; a body cut short then errors on this stream, which must not go unheard.
        stream.on('error', () => undefined);
        stream.resume();
        reject(error instanceof Error ? error : new BadRequestError(String(error)));
        return;
      }
      originalName = (info.filename ?? '').slice(0, 200);
      let tooLarge = false;
      stream.on('limit', () => (tooLarge = true));
      writing = pipeline(stream, fs.createWriteStream(file, { mode: 0o600 })).then(() => {
        if (tooLarge) throw new UploadTooLargeError(maxBytes);
      });
      writing.catch(reject);
    });
    parser.on('close', resolve);
    parser.on('error', () => reject(new BadRequestError('The upload did not arrive whole. Try again.')));
  });
  // Settled only after the whole request is read; until then a refusal must not count as unhandled.
  done.catch(() => undefined);
  try {
    await pipeline(request, parser);
    await done;
    await writing;
    if (!writing || (await fs.promises.stat(file)).size === 0) throw new BadRequestError(options.missingMessage);
  } catch (error) {
    await fs.promises.rm(file, { force: true });
    // A body cut short or malformed: the parser's own words mean nothing to the person uploading.
    if (!(error instanceof AppError)) throw new BadRequestError('The upload did not arrive whole. Try again.');
    throw error;
  }
  await fs.promises.writeFile(path.join(directory, `${id}.json`), JSON.stringify({ originalName, by }), {
    mode: 0o600,
  });
  return { id, file, originalName, by, fields };
}

/** An upload this person made and has not yet imported or abandoned. */
export async function findUpload(id: string, by: string): Promise<Upload> {
  const directory = uploadsDirectory();
  try {
    const meta = JSON.parse(await fs.promises.readFile(path.join(directory, `${id}.json`), 'utf8')) as {
      originalName: string;
      by: string;
    };
    if (meta.by !== by) throw new NotFoundError('We could not find that upload. Upload the file again.');
    return { id, file: path.join(directory, `${id}.upload`), originalName: meta.originalName, by };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new NotFoundError('We could not find that upload (uploads are kept for a day). Upload the file again.');
  }
}

export async function discardUpload(upload: Upload): Promise<void> {
  await fs.promises.rm(upload.file, { force: true });
  await fs.promises.rm(path.join(uploadsDirectory(), `${upload.id}.json`), { force: true });
}

async function sweepOldUploads(directory: string): Promise<void> {
  const cutoff = Date.now() - UPLOAD_LIFETIME_MS;
  for (const name of await fs.promises.readdir(directory)) {
    const entry = path.join(directory, name);
    const stat = await fs.promises.stat(entry).catch(() => undefined);
    if (stat && stat.mtimeMs < cutoff) await fs.promises.rm(entry, { force: true });
  }
}

/**
 * An upload route's refusal (not signed in, wrong role, bad token) waits until the request's body
 * has arrived, then goes on to the error handler: answering while the browser is still sending
 * makes it see a broken connection instead of the page that says why.
 */
export const refuseAfterBody: ErrorRequestHandler = (error, request, _response, next) => {
  if (request.readableEnded || request.destroyed) return next(error);
  request.once('end', () => next(error));
  request.once('error', () => next(error));
  request.resume();
};
