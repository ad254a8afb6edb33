import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Inflate } from 'fflate';
import { UnreadableFileError } from './encoding.js';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/**
 * The entries of a zip file, read from its central directory, so that any one entry can be streamed
 * without reading the others: an .xlsx keeps its shared strings after the sheet that uses them.
 */
export async function zipEntries(file: string): Promise<Map<string, ZipEntry>> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let at = tailLength - 22; at >= 0; at -= 1) {
      if (tail.readUInt32LE(at) === END_OF_DIRECTORY) {
        end = at;
        break;
      }
    }
    if (end < 0) throw new UnreadableFileError('The file is not an .xlsx workbook (it is not a zip archive).');
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    const entries = new Map<string, ZipEntry>();
    let at = 0;
    for (let index = 0; index < count; index += 1) {
      if (directory.readUInt32LE(at) !== DIRECTORY_ENTRY)
        throw new UnreadableFileError('The .xlsx archive is damaged.');
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      entries.set(name, {
        name,
        method: directory.readUInt16LE(at + 10),
        compressedSize: directory.readUInt32LE(at + 20),
        localHeaderOffset: directory.readUInt32LE(at + 42),
      });
      at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** One entry's uncompressed bytes, chunk by chunk. */
export async function* entryChunks(file: string, entry: ZipEntry): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(file, 'r');
  let dataStart: number;
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== LOCAL_HEADER) throw new UnreadableFileError('The .xlsx archive is damaged.');
    dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  if (entry.compressedSize === 0) return;
  const raw = createReadStream(file, { start: dataStart, end: dataStart + entry.compressedSize - 1 });
  if (entry.method === 0) {
    for await (const chunk of raw as AsyncIterable<Buffer>) yield chunk;
    return;
  }
  if (entry.method !== 8)
    throw new UnreadableFileError(`The .xlsx archive uses a compression this importer cannot read.`);
  const pending: Uint8Array[] = [];
  const inflate = new Inflate((data) => pending.push(data));
  for await (const chunk of raw as AsyncIterable<Buffer>) {
    inflate.push(chunk);
    while (pending.length > 0) yield pending.shift()!;
  }
  inflate.push(new Uint8Array(0), true);
  while (pending.length > 0) yield pending.shift()!;
}

export type { ZipEntry };
