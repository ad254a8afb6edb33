import { AppError } from '../http/errors.js';
import { UnreadableFileError } from './encoding.js';

/** A file, column or choice the import cannot take: nothing is stored. The command line exits 2. */
export class ImportRefusedError extends AppError {
  constructor(message: string) {
    super(422, message, 'error.badRequest.title');
  }
}

/** Turns a file that cannot be read (bad zip, broken quoting at the end) into a refusal naming why. */
export async function readable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ImportRefusedError(error.message);
    if (error instanceof ImportRefusedError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new ImportRefusedError('The file is not there.');
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw new ImportRefusedError(`The file cannot be read as CSV: ${(error as Error).message}`);
    }
    if (error instanceof TypeError && /encoded data was not valid/i.test(error.message)) {
      throw new ImportRefusedError('The file changed while it was being imported.');
    }
    throw error;
  }
}
