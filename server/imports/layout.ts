import { isRespondentId, personalReason } from './personal.js';

export const layouts = ['one-row', 'surveymonkey', 'qualtrics', 'qualtrics-legacy'] as const;
export type Layout = (typeof layouts)[number];

export const layoutNames: Record<Layout, string> = {
  'one-row': 'One header row (Google Forms, Microsoft Forms, LimeSurvey, KoboToolbox)',
  surveymonkey: 'SurveyMonkey: question text, then sub-labels',
  qualtrics: 'Qualtrics: column ids, question text, then ImportIds',
  'qualtrics-legacy': 'Qualtrics, before 2017: V1, V2… ids, then labels',
};

/** A column of the file as the import shows it and the command line names it. */
export interface FileColumn {
  /** 0-based position in each row. */
  index: number;
  /** Unique among the file's columns: the question text, "Question - Sub-label", "Column 7"… */
  name: string;
  /** The tool's own id for the column (Qualtrics `QID3_TEXT`, `Q3`, `V1`). */
  id?: string;
  importId?: string;
  /** Why the column is refused even when chosen. */
  personal?: string;
  respondentId: boolean;
}

export interface FileHeader {
  layout: Layout;
  /** How many rows at the top of the file are headers, never respondents. */
  headerRows: number;
  columns: FileColumn[];
}

/** Non-breaking and repeated spaces, and spaces at either end, do not change a name. */
export function cleanName(text: string): string {
  return text.replace(/[\s\u00a0\u2007\u202f\ufeff]+/g, ' ').trim();
}

const IMPORT_ID = /^\{\s*["']ImportId["']\s*:\s*["']([^"']*)["']/;
const SUB_LABEL_ONLY = /^(open-ended )?response$/i;

/** Which tool wrote the file, from its first three rows. */
export function detectLayout(top: string[][]): Layout {
  const [first = [], second = [], third = []] = top.map((row) => row.map(cleanName));
  const filled = third.filter((cell) => cell !== '');
  if (filled.length > 0 && filled.filter((cell) => IMPORT_ID.test(cell)).length * 2 >= filled.length)
    return 'qualtrics';
  if (
    /^V1$/.test(first[0] ?? '') &&
    /^V2$/.test(first[1] ?? '') &&
    second.some((cell) => /^ResponseI[Dd]$/.test(cell))
  ) {
    return 'qualtrics-legacy';
  }
  if (looksLikeSurveyMonkey(first, second, third)) return 'surveymonkey';
  return 'one-row';
}

/**
 * SurveyMonkey's second row is sub-labels, not a respondent: mostly "Response", or sub-labels under
 * the blank question cells of expanded questions, or a blank under "Respondent ID" (a respondent
 * always has one). An expanded multiple-choice column holds its own sub-label as the answer when
 * ticked, so the third row's cells under blank question cells are that label or empty. A first
 * respondent who happened to answer "Response" is none of these.
 */
function looksLikeSurveyMonkey(first: string[], second: string[], third: string[]): boolean {
  const subLabels = second.filter((cell) => SUB_LABEL_ONLY.test(cell)).length;
  const filled = second.filter((cell) => cell !== '').length;
  const underBlank = second
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell, index }) => index > 0 && cell !== '' && (first[index] ?? '') === '');
  if (subLabels > 0 && (underBlank.length > 0 || subLabels * 2 > filled)) return true;
  const idColumn = first.findIndex((cell) => /^Respondent ?ID$/i.test(cell));
  if (idColumn >= 0 && (second[idColumn] ?? '') === '' && (third[idColumn] ?? '') !== '') return true;
  const echoes = underBlank.filter(({ cell, index }) => (third[index] ?? '') === cell).length;
  const others = underBlank.filter(({ cell, index }) => !['', cell].includes(third[index] ?? '')).length;
  return underBlank.length >= 2 && echoes > 0 && others === 0;
}

/** The columns of a file with this layout, named and uniquely so, from its header rows. */
export function readHeader(top: string[][], layout: Layout): FileHeader {
  const headerRows = layout === 'one-row' ? 1 : layout === 'qualtrics' ? 3 : 2;
  const rows = top.slice(0, headerRows).map((row) => row.map(cleanName));
  const width = Math.max(0, ...rows.map((row) => row.length));
  const drafts: (Omit<FileColumn, 'personal' | 'respondentId'> & { subLabel?: string })[] = [];
  let question = '';
  for (let index = 0; index < width; index += 1) {
    const [first = '', second = '', third = ''] = rows.map((row) => row[index] ?? '');
    if (layout === 'one-row') drafts.push({ index, name: first });
    else if (layout === 'surveymonkey') {
      // SurveyMonkey writes a question's text above its first sub-column only.
      if (first !== '') question = first;
      const name =
        second === '' || SUB_LABEL_ONLY.test(second) ? question : question ? `${question} - ${second}` : second;
      drafts.push({ index, name: first === '' && second === '' ? '' : name, ...(second ? { subLabel: second } : {}) });
    } else {
      const importId = layout === 'qualtrics' ? IMPORT_ID.exec(third)?.[1] : undefined;
      drafts.push({ index, name: second || first, ...(first ? { id: first } : {}), ...(importId ? { importId } : {}) });
    }
  }
  const taken = new Set(drafts.map((draft) => draft.name.toLowerCase()).filter((name) => name !== ''));
  const used = new Set<string>();
  const columns = drafts.map((draft) => {
    const base = draft.name === '' ? `Column ${draft.index + 1}` : draft.name;
    let name = base;
    // The first of a name keeps it; later ones take the next "(n)" that no other column has.
    for (let count = 2; used.has(name.toLowerCase()) || (name !== base && taken.has(name.toLowerCase())); count += 1) {
      name = `${base} (${count})`;
    }
    used.add(name.toLowerCase());
    const label = draft.name || undefined;
    const described = { ...draft, name, ...(label ? { label } : {}) };
    const personal = personalReason(described);
    return {
      index: draft.index,
      name,
      ...(draft.id ? { id: draft.id } : {}),
      ...(draft.importId ? { importId: draft.importId } : {}),
      ...(personal ? { personal } : {}),
      respondentId: isRespondentId(described),
    };
  });
  return { layout, headerRows, columns };
}
