import type { CodebookFile } from '../codebooks/schema.js';
import type { Codebook } from '../codebooks/service.js';
import { AutoCoder, type EngineCode } from './engine.js';

/** An engine for a codebook file in coding-schemes/ (the command line) ... */
export function autoCoderForFile(book: CodebookFile, blendHalf?: number): AutoCoder {
  return new AutoCoder(
    book.codes.map((code): EngineCode => ({
      codeId: code.id,
      name: code.name,
      definition: code.definition,
      include: code.include,
      terms: code.terms,
    })),
    blendHalf,
  );
}

/** ... or for the codebook as analysts have refined it in the app (retired and merged codes left out). */
export function autoCoderForCodebook(codebook: Codebook): AutoCoder {
  return new AutoCoder(
    codebook.codes
      .filter((code) => !code.retired)
      .map((code): EngineCode => ({
        codeId: code.codeId,
        name: code.name,
        definition: code.definition,
        include: code.include,
        terms: code.terms,
      })),
  );
}
