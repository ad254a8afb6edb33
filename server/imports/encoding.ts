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
  let utf8Sequences = 0;
  let invalid = false;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    if (first) {
      refuseUtf16(chunk);
      first = false;
    }
    utf8Sequences += countUtf8Sequences(chunk);
    if (invalid) continue;
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      invalid = true;
    }
  }
  if (!invalid) {
    try {
      decoder.decode();
    } catch {
      invalid = true;
    }
  }
  if (!invalid) return 'utf-8';
  // Accented letters written as UTF-8 beside bytes that are not: a damaged UTF-8 file, which read as
  // Windows-1252 would turn every "é" into "Ã©".
  if (utf8Sequences > 0) {
    throw new UnreadableFileError(
      'The file is UTF-8 with some damaged bytes, so its text cannot be read safely: export it again as CSV UTF-8.',
    );
  }
  return 'windows-1252';
}

/** How many multi-byte UTF-8 characters the bytes hold (Windows-1252 text almost never forms one). */
function countUtf8Sequences(chunk: Buffer): number {
  return (
    chunk.toString('latin1').match(/[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}/g)
      ?.length ?? 0
  );
}

function refuseUtf16(chunk: Buffer): void {
  const bom = chunk.subarray(0, 2);
  const start = chunk.subarray(0, 4096);
  // Without a byte-order mark, UTF-16 text shows as a NUL beside nearly every ASCII letter.
  const nuls = start.filter((byte) => byte === 0).length;
  if ((bom[0] === 0xff && bom[1] === 0xfe) || (bom[0] === 0xfe && bom[1] === 0xff) || nuls * 4 > start.length) {
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
