import { DOMParser } from '@xmldom/xmldom';

export const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
/** Excel's built-in number formats that show a date or a time, and those that show a percentage. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);
const BUILT_IN_PERCENT_FORMATS = new Set([9, 10]);

export function asArray<T>(list: { length: number; item(index: number): T | null }): T[] {
  const items: T[] = [];
  for (let index = 0; index < list.length; index += 1) items.push(list.item(index)!);
  return items;
}

export function parseXml(text: string) {
  return new DOMParser().parseFromString(text, 'text/xml');
}

/** The number formats that show a date or a time: the built-in ones and any custom format with d, m, y, h or s. */
function dateFormatIds(styles: ReturnType<typeof parseXml>): Set<number> {
  const ids = new Set(BUILT_IN_DATE_FORMATS);
  for (const format of asArray(styles.getElementsByTagNameNS(MAIN_NS, 'numFmt'))) {
    const code = (format.getAttribute('formatCode') ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    if (/[dmyhs]/i.test(code)) ids.add(Number(format.getAttribute('numFmtId')));
  }
  return ids;
}

/** Which cell styles (`s` attribute) use one of these number formats. */
function styleIndexes(styles: ReturnType<typeof parseXml>, formatIds: Set<number>): Set<number> {
  const cellFormats = styles.getElementsByTagNameNS(MAIN_NS, 'cellXfs')[0];
  const indexes = new Set<number>();
  if (!cellFormats) return indexes;
  asArray(cellFormats.getElementsByTagNameNS(MAIN_NS, 'xf')).forEach((xf, index) => {
    if (formatIds.has(Number(xf.getAttribute('numFmtId') ?? 0))) indexes.add(index);
  });
  return indexes;
}

/** Which cell styles of a workbook show numbers as dates or times, and which as percentages. */
export function cellFormats(stylesXml: string | undefined): { dateStyles: Set<number>; percentStyles: Set<number> } {
  if (!stylesXml) return { dateStyles: new Set(), percentStyles: new Set() };
  const styles = parseXml(stylesXml);
  return {
    dateStyles: styleIndexes(styles, dateFormatIds(styles)),
    percentStyles: styleIndexes(styles, BUILT_IN_PERCENT_FORMATS),
  };
}
