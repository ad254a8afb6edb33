import fs from 'node:fs';

/** The encodings an export arrives in that the importer can read. */
export type FileEncoding = 'utf-8' | 'windows-1252';

export class UnreadableFileError extends Error {}

/**
 * Reads the whole file once, as strict UTF-8, without keeping it: survey tools write UTF-8 (with or
 * without a byte-order mark), except older SurveyMonkey and Excel "CSV" saves, which are Windows-1252.
 * Guessing from the first bytes is not enough: the Star Wars export is ASCII until byte 641.
 */
export async function detectEncoding(file: string): Promise<FileEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
      if (first) {
        refuseUtf16(chunk);
        first = false;
      }
      decoder.decode(chunk, { stream: true });
    }
    decoder.decode();
    return 'utf-8';
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    return 'windows-1252';
  }
}

function refuseUtf16(chunk: Buffer): void {
  const bom = chunk.subarray(0, 2);
  if ((bom[0] === 0xff && bom[1] === 0xfe) || (bom[0] === 0xfe && bom[1] === 0xff)) {
    throw new UnreadableFileError(
      'The file is in UTF-16 ("Unicode text"). Save or export it as CSV UTF-8 and import that instead.',
    );
  }
}

/** Text of the file in order, without a byte-order mark, never with U+FFFD standing in for a byte. */
export async function* decodedText(file: string, encoding: FileEncoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8', ignoreBOM: false });
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
