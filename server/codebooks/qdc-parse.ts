import { DOMParser, type Element } from '@xmldom/xmldom';
import { BadRequestError } from '../http/errors.js';
import { slugFor } from './edits.js';
import type { CodeRecord } from './model.js';

/**
 * Reading a REFI-QDA codebook (.qdc) as made by NVivo, MAXQDA, ATLAS.ti, QualCoder, Taguette or
 * this app. Real files stray from Codebook.xsd, so anything that can still be read is read and the
 * deviation reported as a warning; only a file that cannot be read as a codebook is refused.
 */
export const QDC_NAMESPACE = 'urn:QDA-XML:codebook:1.0';
export const QDC_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_COLOUR = '#505a5f';
/** The app's limit on a code's name (edits.ts, schema.ts). Longer names are shortened on import. */
export const NAME_LIMIT = 80;
const OWN_ORIGIN = 'Survey coding platform';
/**
 * Limits that keep one file from holding up the server or the codebook page: real codebooks have
 * tens or hundreds of codes a few levels deep, with names well under 200 characters.
 */
export const MAX_CODES = 500;
export const MAX_DEPTH = 20;
const MAX_NAME = 1000;
const DEFINITION_LIMIT = 2000;
const MAX_WARNINGS = 100;
/** A code's name as quoted in a warning: never the whole of a very long one. */
const quoted = (name: string) => (name.length > 100 ? `${name.slice(0, 99)}…` : name);

/** A file that cannot be imported: the message says why. */
export class QdcRefusedError extends BadRequestError {}

/** A code as read from the file: the stored fields it fills, before it is numbered and saved. */
export type ImportedCode = Pick<
  CodeRecord,
  'codeId' | 'name' | 'definition' | 'include' | 'exclude' | 'colour' | 'parentId' | 'order'
>;

export interface ParsedQdc {
  origin: string;
  codes: ImportedCode[];
  warnings: string[];
}

/** The bytes of a file as text: UTF-8 (with or without a byte-order mark) or UTF-16 with one. */
export function decodeQdc(bytes: Uint8Array): string {
  if (bytes.byteLength > QDC_MAX_BYTES) throw new QdcRefusedError(tooBig(bytes.byteLength));
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new QdcRefusedError(`The file is not readable text (${encoding}), so it cannot be a .qdc codebook.`);
  }
}

const tooBig = (bytes: number) =>
  `The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; a codebook of up to 5 MB can be imported.`;

/** A colour as the app stores it: #rrggbb. REFI allows #rgb; anything else becomes grey, with a warning. */
export function importColour(value: string | null): string | undefined {
  const colour = (value ?? '').trim();
  if (/^#[0-9a-fA-F]{6}$/.test(colour)) return colour;
  if (/^#[0-9a-fA-F]{3}$/.test(colour)) return `#${[...colour.slice(1)].map((digit) => digit + digit).join('')}`;
  return undefined;
}

/**
 * The app's own export folds include and exclude into the description ("definition", then lines
 * "Include: ..." and "Exclude: ..."); this unfolds them. Other tools' descriptions rarely have such
 * lines and are then the definition whole.
 */
export function unfoldDescription(description: string): Pick<ImportedCode, 'definition' | 'include' | 'exclude'> {
  const match =
    /^(?<definition>[\s\S]*?)(?:(?:^|\n)Include: (?<include>[\s\S]*?))?(?:(?:^|\n)Exclude: (?<exclude>[\s\S]*))?$/.exec(
      description,
    );
  const groups = match?.groups ?? {};
  return {
    definition: (groups.definition ?? description).trim(),
    include: (groups.include ?? '').trim(),
    exclude: (groups.exclude ?? '').trim(),
  };
}

/** A name the app can hold: up to 80 characters, cut at a word where it can be, with an ellipsis. */
export function shortName(name: string): string {
  if (name.length <= NAME_LIMIT) return name;
  const cut = name.slice(0, NAME_LIMIT - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > NAME_LIMIT / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A code id from a name, unique among `taken`: the app's own rules (slugFor), then -2, -3 ... */
export function uniqueCodeId(name: string, taken: Set<string>): string {
  const base = slugFor(name);
  let codeId = base;
  for (let suffix = 2; taken.has(codeId); suffix++) codeId = `${base}-${suffix}`;
  taken.add(codeId);
  return codeId;
}

const children = (element: Element) =>
  Array.from(element.childNodes).filter((node): node is Element => node.nodeType === node.ELEMENT_NODE);
const named = (element: Element, name: string) => children(element).filter((child) => child.localName === name);

function parseXml(xml: string): Element {
  if (Buffer.byteLength(xml, 'utf8') > QDC_MAX_BYTES) throw new QdcRefusedError(tooBig(Buffer.byteLength(xml, 'utf8')));
  // REFI-QDA files never declare a DTD; one here can only be an entity-expansion or XXE attempt.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new QdcRefusedError(
      'The file declares a DTD (<!DOCTYPE> or <!ENTITY>), which a .qdc codebook never has: refused for safety.',
    );
  let root: Element | null;
  try {
    const document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml.replace(/^\uFEFF/, ''), 'text/xml');
    if (document.doctype) throw new Error('it declares a DTD');
    root = document.documentElement;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^.*caused Error: /s, '') : String(error);
    throw new QdcRefusedError(`The file is not readable XML (${reason.slice(0, 200)}), so it cannot be imported.`);
  }
  if (!root || root.localName !== 'CodeBook')
    throw new QdcRefusedError(
      `The file is XML but not a REFI-QDA codebook: its root element is <${root?.localName ?? 'none'}>, not <CodeBook>.`,
    );
  return root;
}

/** Reads a .qdc file's text: its codes in file order (parents before children) and every deviation found. */
export function parseQdc(xml: string): ParsedQdc {
  const root = parseXml(xml);
  const warnings: string[] = [];
  if (root.namespaceURI !== QDC_NAMESPACE)
    warnings.push(`The file's namespace is "${root.namespaceURI ?? 'none'}", not ${QDC_NAMESPACE}; read it anyway.`);
  const origin = root.getAttribute('origin') ?? '';
  const own = origin.startsWith(OWN_ORIGIN);
  const codesElements = named(root, 'Codes');
  if (codesElements.length !== 1 && codesElements.length > 0)
    warnings.push(`The file has ${codesElements.length} <Codes> elements; read them all.`);
  for (const other of children(root).filter((child) => !['Codes', 'Sets'].includes(child.localName ?? '')))
    warnings.push(`Ignored an element the codebook format does not have: <${other.localName}>.`);
  for (const sets of named(root, 'Sets')) {
    const setNames = named(sets, 'Set').map((set) => set.getAttribute('name') ?? '(unnamed)');
    warnings.push(
      setNames.length === 0
        ? 'The file has an empty <Sets/> (not valid in Codebook.xsd; Taguette writes one): ignored.'
        : `Sets are not kept by this app and were not imported: ${setNames.join(', ')}.`,
    );
  }

  const codes: ImportedCode[] = [];
  const taken = new Set<string>();
  const guids = new Set<string>();
  const noDescription: string[] = [];
  const read = (element: Element, parentId: string | undefined, order: number, depth: number): void => {
    if (codes.length >= MAX_CODES)
      throw new QdcRefusedError(`The codebook has more than ${MAX_CODES} codes, more than this app imports at once.`);
    if (depth > MAX_DEPTH)
      throw new QdcRefusedError(
        `The codebook nests codes more than ${MAX_DEPTH} levels deep, more than this app imports.`,
      );
    const fullName = (element.getAttribute('name') ?? '').trim();
    if (fullName.length > MAX_NAME)
      throw new QdcRefusedError(
        `A code's name is ${fullName.length} characters long ("${quoted(fullName)}"); names of up to ${MAX_NAME} can be imported.`,
      );
    const label = quoted(fullName || `Unnamed code ${codes.length + 1}`);
    if (!fullName) warnings.push(`A code has no name: imported as "${label}".`);
    const name = shortName(label);
    const guid = element.getAttribute('guid');
    if (!guid) warnings.push(`"${label}" has no guid (required by Codebook.xsd).`);
    else if (guids.has(guid)) warnings.push(`"${label}" has the same guid as another code (${guid}).`);
    if (guid) guids.add(guid);
    const codable = element.getAttribute('isCodable');
    if (codable === null || codable === '')
      warnings.push(`"${label}" has no isCodable attribute; imported as codable.`);
    else if (codable === 'false' || codable === '0')
      warnings.push(`"${label}" is marked not codable in the file; this app has no such codes, so it can be applied.`);
    const givenColour = element.getAttribute('color');
    const colour = givenColour ? importColour(givenColour) : DEFAULT_COLOUR;
    if (!colour)
      warnings.push(
        `"${label}" has the colour "${givenColour}", which is not a colour: given grey (${DEFAULT_COLOUR}).`,
      );
    const descriptions = named(element, 'Description');
    const description = descriptions
      .map((node) => node.textContent ?? '')
      .join('\n')
      .trim();
    const fields = own ? unfoldDescription(description) : { definition: description, include: '', exclude: '' };
    if (name !== label) {
      warnings.push(
        `"${label}" is longer than ${NAME_LIMIT} characters: shortened to "${name}", the full name kept at the end of its definition.`,
      );
      fields.definition = [fields.definition, `Full name: ${fullName}`].filter(Boolean).join('\n\n');
    }
    if (fields.definition.length > DEFINITION_LIMIT) {
      warnings.push(`"${label}" has a definition longer than ${DEFINITION_LIMIT} characters: cut to that length.`);
      fields.definition = `${fields.definition.slice(0, DEFINITION_LIMIT - 1)}…`;
    }
    if (!description) noDescription.push(name);
    const code: ImportedCode = {
      codeId: uniqueCodeId(name, taken),
      name,
      ...fields,
      colour: colour ?? DEFAULT_COLOUR,
      parentId,
      order,
    };
    codes.push(code);
    for (const other of children(element).filter((child) => !['Code', 'Description'].includes(child.localName ?? '')))
      warnings.push(`Ignored <${other.localName}> inside "${label}".`);
    named(element, 'Code').forEach((child, index) => read(child, code.codeId, index, depth + 1));
  };
  let order = 0;
  for (const codesElement of codesElements)
    for (const element of named(codesElement, 'Code')) read(element, undefined, order++, 1);
  if (codes.length === 0) throw new QdcRefusedError('The codebook has no codes, so there is nothing to import.');
  if (noDescription.length > 0)
    warnings.push(
      `${noDescription.length} ${noDescription.length === 1 ? 'code has' : 'codes have'} no description and ${noDescription.length === 1 ? 'was' : 'were'} imported with an empty definition, for the team to fill in: ${noDescription.join(', ')}.`,
    );
  if (warnings.length > MAX_WARNINGS)
    warnings.splice(MAX_WARNINGS, Infinity, `… and ${warnings.length - MAX_WARNINGS} more warnings of the same kinds.`);
  return { origin, codes, warnings };
}
