import crypto from 'node:crypto';

/** Crockford's base 32: no I, L, O or U, so a reference read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The short reference a respondent is shown on the thank-you page (`7KQ2-9XMD`), to ask for their
 * answers to be deleted. Derived from the response's id (40 bits of its SHA-256), so a repeated
 * submit shows the same one and it reveals nothing about the id.
 */
export function responseReference(responseId: string): string {
  const digest = crypto.createHash('sha256').update(`response-reference:${responseId}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let text = '';
  for (let i = 0; i < 8; i++) text = ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)]! + text;
  return `${text.slice(0, 4)}-${text.slice(4)}`;
}

/** A reference as someone typed it (any case, spaces or dashes, O for 0, I or L for 1), or undefined. */
export function normaliseReference(input: string): string | undefined {
  const text = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(text)) return undefined;
  return `${text.slice(0, 4)}-${text.slice(4)}`;
}
