import crypto from 'node:crypto';
import type { CodeRecord } from '../codebooks/model.js';

/** A code as the exchange format needs it; parent by id, so codebook files and the app can both use this. */
export type ExchangeCode = Pick<
  CodeRecord,
  'codeId' | 'name' | 'definition' | 'include' | 'exclude' | 'colour' | 'parentId'
>;

/** A GUID derived from a name (shaped as a version 5 UUID): the same name always gives the same GUID. */
export function stableGuid(name: string): string {
  const hex = crypto.createHash('sha1').update(`survey-coding-platform:${name}`).digest('hex');
  // Shaped as a name-based (version 5) UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A stable GUID per code, so re-importing an export updates codes rather than duplicating them. */
export const codeGuid = (codebookId: string, codeId: string) => stableGuid(`${codebookId}:${codeId}`);

export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- XML 1.0 cannot hold these characters at all
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/**
 * Codes as REFI-QDA `<Code>` elements, sub-codes nested under their parents (a parent not in the
 * list leaves its children at the top), indented from `depth`. The codebook and project formats
 * share this element.
 */
export function codesXml(codebookId: string, codes: ExchangeCode[], depth: number): string {
  const ids = new Set(codes.map((code) => code.codeId));
  const children = new Map<string | undefined, ExchangeCode[]>();
  for (const code of codes) {
    const parent = code.parentId && ids.has(code.parentId) ? code.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), code]);
  }
  const render = (code: ExchangeCode, depth: number): string => {
    const pad = '  '.repeat(depth);
    const description = [
      code.definition,
      code.include && `Include: ${code.include}`,
      code.exclude && `Exclude: ${code.exclude}`,
    ]
      .filter(Boolean)
      .join('\n');
    const nested = (children.get(code.codeId) ?? []).map((child) => render(child, depth + 1)).join('');
    return (
      `${pad}<Code guid="${codeGuid(codebookId, code.codeId)}" name="${escapeXml(code.name)}" isCodable="true" color="${escapeXml(code.colour)}">\n` +
      `${pad}  <Description>${escapeXml(description)}</Description>\n${nested}${pad}</Code>\n`
    );
  };
  return (children.get(undefined) ?? []).map((code) => render(code, depth)).join('');
}

/**
 * The codebook in the REFI-QDA codebook exchange format (.qdc, namespace urn:QDA-XML:codebook:1.0),
 * which NVivo, ATLAS.ti and MAXQDA import. Sub-codes nest under their parents.
 */
export function codebookToQdc(codebookId: string, codes: ExchangeCode[]): string {
  const top = codesXml(codebookId, codes, 2);
  return `<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Survey coding platform: ${escapeXml(codebookId)}">\n  <Codes>\n${top}  </Codes>\n</CodeBook>\n`;
}
