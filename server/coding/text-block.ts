import zlib from 'node:zlib';
import type { Unit } from './question-index.js';

/** How many blocks are kept decompressed at once: a scan of every answer goes block by block. */
const DECODED_BLOCKS = 8;
const decoded = new Map<TextBlock, string[]>();

/**
 * The answers' texts of one checkpoint chunk, kept compressed (about a third of their size) and
 * decompressed when an answer is read; the last few blocks read stay decompressed. Most of a
 * large question's answers are never shown between restarts, so most of its text stays small.
 */
export class TextBlock {
  constructor(private readonly bytes: Uint8Array) {}

  /**
   * Whether the bytes decompress to `count` texts: checked once when a checkpoint is loaded (then
   * dropped), so a damaged block makes the question rebuild instead of failing on every read.
   */
  static holds(bytes: Uint8Array, count: number): boolean {
    try {
      const texts: unknown = JSON.parse(zlib.inflateRawSync(bytes).toString());
      return Array.isArray(texts) && texts.length === count && texts.every((text) => typeof text === 'string');
    } catch {
      return false;
    }
  }

  text(position: number): string {
    let texts = decoded.get(this);
    if (texts) decoded.delete(this);
    else texts = JSON.parse(zlib.inflateRawSync(this.bytes).toString()) as string[];
    decoded.set(this, texts);
    if (decoded.size > DECODED_BLOCKS) decoded.delete(decoded.keys().next().value!);
    return texts[position] ?? '';
  }
}

/** An answer loaded from a checkpoint: its text is read from its block when asked for. */
export class StoredUnit implements Unit {
  constructor(
    readonly responseId: string,
    readonly group: string | undefined,
    readonly country: string | undefined,
    readonly quoteConsent: boolean,
    readonly language: 'cy' | undefined,
    public index: number,
    private readonly block: TextBlock,
    private readonly position: number,
  ) {}

  get text(): string {
    return this.block.text(this.position);
  }
}
