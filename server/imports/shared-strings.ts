import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A workbook's shared strings, which every cell of text points into by number. A large table is
 * written to a temporary file with an index of where each string starts, so that 100,000 long answers
 * cost a few megabytes of memory, not hundreds; a small one stays in memory.
 */
export class SharedStrings {
  private readonly inMemory: string[] = [];
  private readonly starts: number[] = [];
  private file: { directory: string; path: string; fd: number } | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;

  constructor(private readonly spillAfterBytes = 8 * 1024 * 1024) {}

  add(text: string): void {
    if (!this.file && this.written + Buffer.byteLength(text) <= this.spillAfterBytes && this.starts.length === 0) {
      this.inMemory.push(text);
      this.written += Buffer.byteLength(text);
      return;
    }
    if (!this.file) this.spill();
    const bytes = Buffer.from(text, 'utf8');
    this.starts.push(this.written);
    this.written += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > 1024 * 1024) this.flush();
  }

  /** Done adding: what is still buffered goes to the file. */
  finish(): void {
    this.flush();
    if (this.file) this.starts.push(this.written);
  }

  get(index: number): string {
    if (!this.file) return this.inMemory[index] ?? '';
    const start = this.starts[index];
    const end = this.starts[index + 1];
    if (start === undefined || end === undefined) return '';
    const bytes = Buffer.alloc(end - start);
    fs.readSync(this.file.fd, bytes, 0, bytes.length, start);
    return bytes.toString('utf8');
  }

  close(): void {
    if (!this.file) return;
    fs.closeSync(this.file.fd);
    fs.rmSync(this.file.directory, { recursive: true, force: true });
    this.file = undefined;
  }

  /** Moves the strings held so far to a file, and keeps the rest there too. */
  private spill(): void {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-strings-'));
    const file = path.join(directory, 'strings');
    this.file = { directory, path: file, fd: fs.openSync(file, 'w+', 0o600) };
    const held = this.inMemory.splice(0);
    this.written = 0;
    for (const text of held) {
      const bytes = Buffer.from(text, 'utf8');
      this.starts.push(this.written);
      this.written += bytes.length;
      this.pending.push(bytes);
    }
    this.pendingBytes = this.written;
    this.flush();
  }

  private flush(): void {
    if (!this.file || this.pending.length === 0) return;
    const chunk = Buffer.concat(this.pending);
    fs.writeSync(this.file.fd, chunk, 0, chunk.length, this.written - chunk.length);
    this.pending = [];
    this.pendingBytes = 0;
  }
}
