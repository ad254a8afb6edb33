import { codeGuid, codesXml, escapeXml, stableGuid, type ExchangeCode } from './qdc.js';

/** A coding of an answer: the whole answer, or a passage given as JavaScript string (UTF-16) offsets. */
export interface ProjectCoding {
  userId: string;
  codebookId: string;
  codeId: string;
  start?: number;
  end?: number;
}

/** One open answer: a text source of the project. */
export interface ProjectSource {
  responseId: string;
  questionId: string;
  text: string;
  codings: ProjectCoding[];
  /** Memos on the answer, by their authors, with when each was last written. */
  memos: { userId: string; text: string; at: Date }[];
}

/** Everything a REFI-QDA project holds for one survey, in the app's own terms (ids, not GUIDs). */
export interface ProjectContent {
  surveyId: string;
  title: string;
  users: { id: string; name: string }[];
  codebooks: { id: string; name: string; codes: ExchangeCode[] }[];
  /** The respondent attributes (the survey's profile questions), by question id. */
  variables: { id: string; description: string }[];
  /** Respondents, with their attribute values (by variable id) as shown to people. */
  cases: { responseId: string; values: Record<string, string> }[];
  sources: ProjectSource[];
}

const guids = (surveyId: string) => ({
  user: (userId: string) => stableGuid(`user:${userId}`),
  variable: (id: string) => stableGuid(`variable:${surveyId}:${id}`),
  case: (responseId: string) => stableGuid(`case:${surveyId}:${responseId}`),
  source: (source: ProjectSource) => stableGuid(`source:${surveyId}:${source.questionId}:${source.responseId}`),
  selection: (source: ProjectSource, coding: ProjectCoding, kind: string) =>
    stableGuid(
      `${kind}:${surveyId}:${source.questionId}:${source.responseId}:${coding.userId}:${coding.codebookId}:${coding.codeId}:${coding.start ?? ''}-${coding.end ?? ''}`,
    ),
  note: (source: ProjectSource, userId: string) =>
    stableGuid(`note:${surveyId}:${source.questionId}:${source.responseId}:${userId}`),
  noteSelection: (source: ProjectSource, userId: string) =>
    stableGuid(`note-selection:${surveyId}:${source.questionId}:${source.responseId}:${userId}`),
});

/** The number of Unicode code points in `text` before UTF-16 offset `offset`: REFI-QDA counts characters so. */
export function codePointOffset(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}

/** Where a source's text is kept in the .qdpx, as project.qde names it and as the zip entry. */
export const sourceFile = (guid: string) => ({ path: `internal://${guid}.txt`, entry: `Sources/${guid}.txt` });

// No ":" or "/": QualCoder also uses a source's name as a file name, which Windows would refuse.
const sourceName = (source: ProjectSource) => `Respondent ${source.responseId} - ${source.questionId}`;

/**
 * Code names unique across the project ("Other" in two codebooks becomes "Other (Drivers)"):
 * QualCoder keeps one code per name and leaves the second one's codings without a code.
 */
function uniqueCodeNames(books: ProjectContent['codebooks']): ProjectContent['codebooks'] {
  const used = new Set<string>();
  return books.map((book) => ({
    ...book,
    codes: book.codes.map((code) => {
      let name = code.name;
      if (used.has(name)) name = `${code.name} (${book.name})`;
      for (let count = 2; used.has(name); count += 1) name = `${code.name} (${book.name} ${count})`;
      used.add(name);
      return { ...code, name };
    }),
  }));
}

/** The `<CodeBook>`: one codebook's codes at the top; several codebooks each under a heading that is not codable. */
function codeBookXml(content: ProjectContent): string {
  const books = uniqueCodeNames(content.codebooks.filter((book) => book.codes.length > 0));
  if (books.length === 0) return '';
  const codes =
    books.length === 1
      ? codesXml(books[0]!.id, books[0]!.codes, 3)
      : books
          .map(
            (book) =>
              `      <Code guid="${stableGuid(`codebook:${book.id}`)}" name="${escapeXml(book.name)}" isCodable="false">\n` +
              `        <Description>${escapeXml(`Codebook ${book.id}`)}</Description>\n` +
              `${codesXml(book.id, book.codes, 4)}      </Code>\n`,
          )
          .join('');
  return `  <CodeBook>\n    <Codes>\n${codes}    </Codes>\n  </CodeBook>\n`;
}

function sourceXml(content: ProjectContent, source: ProjectSource): string {
  const guid = guids(content.surveyId);
  const length = [...source.text].length;
  const selections = source.codings.map((coding) => {
    const user = guid.user(coding.userId);
    const start = coding.start === undefined ? 0 : codePointOffset(source.text, coding.start);
    const end = coding.start === undefined ? length : codePointOffset(source.text, coding.end ?? coding.start);
    return (
      `      <PlainTextSelection guid="${guid.selection(source, coding, 'selection')}" startPosition="${start}" endPosition="${end}" creatingUser="${user}">\n` +
      `        <Coding guid="${guid.selection(source, coding, 'coding')}" creatingUser="${user}">\n` +
      `          <CodeRef targetGUID="${codeGuid(coding.codebookId, coding.codeId)}"/>\n        </Coding>\n` +
      `      </PlainTextSelection>\n`
    );
  });
  const notes = source.memos.map((memo) => `      <NoteRef targetGUID="${guid.note(source, memo.userId)}"/>\n`);
  return (
    `    <TextSource guid="${guid.source(source)}" name="${escapeXml(sourceName(source))}" plainTextPath="${sourceFile(guid.source(source)).path}">\n` +
    `${selections.join('')}${notes.join('')}    </TextSource>\n`
  );
}

function casesXml(content: ProjectContent): string {
  const guid = guids(content.surveyId);
  const sourcesOf = new Map<string, string[]>();
  for (const source of content.sources)
    sourcesOf.set(source.responseId, [...(sourcesOf.get(source.responseId) ?? []), guid.source(source)]);
  const variables =
    content.variables.length === 0
      ? ''
      : `  <Variables>\n${content.variables
          .map(
            (variable) =>
              `    <Variable guid="${guid.variable(variable.id)}" name="${escapeXml(variable.id)}" typeOfVariable="Text">\n` +
              `      <Description>${escapeXml(variable.description)}</Description>\n    </Variable>\n`,
          )
          .join('')}  </Variables>\n`;
  if (content.cases.length === 0) return variables;
  const cases = content.cases.map((entry) => {
    const values = content.variables
      .filter((variable) => entry.values[variable.id] !== undefined)
      .map(
        (variable) =>
          `      <VariableValue>\n        <VariableRef targetGUID="${guid.variable(variable.id)}"/>\n` +
          `        <TextValue>${escapeXml(entry.values[variable.id]!)}</TextValue>\n      </VariableValue>\n`,
      );
    const sources = (sourcesOf.get(entry.responseId) ?? []).map((id) => `      <SourceRef targetGUID="${id}"/>\n`);
    return (
      `    <Case guid="${guid.case(entry.responseId)}" name="Respondent ${escapeXml(entry.responseId)}">\n` +
      `${values.join('')}${sources.join('')}    </Case>\n`
    );
  });
  return `${variables}  <Cases>\n${cases.join('')}  </Cases>\n`;
}

function notesXml(content: ProjectContent): string {
  const guid = guids(content.surveyId);
  const names = new Map(content.users.map((user) => [user.id, user.name]));
  const notes = content.sources.flatMap((source) =>
    source.memos.map(
      (memo) =>
        // QualCoder needs a date on every note, and files a note as an annotation of the answer only
        // when the note selects the text it is about: here the whole answer.
        `    <Note guid="${guid.note(source, memo.userId)}" name="${escapeXml(`Memo by ${names.get(memo.userId) ?? memo.userId} on ${sourceName(source)}`)}" creatingUser="${guid.user(memo.userId)}" modifiedDateTime="${memo.at.toISOString()}">\n` +
        `      <PlainTextContent>${escapeXml(memo.text)}</PlainTextContent>\n` +
        `      <PlainTextSelection guid="${guid.noteSelection(source, memo.userId)}" startPosition="0" endPosition="${[...source.text].length}" creatingUser="${guid.user(memo.userId)}"/>\n` +
        `    </Note>\n`,
    ),
  );
  return notes.length === 0 ? '' : `  <Notes>\n${notes.join('')}  </Notes>\n`;
}

/**
 * The project as `project.qde` (namespace urn:QDA-XML:project:1.0), and each source's text for the
 * `Sources/` folder. Positions count Unicode code points, as the standard does; no dates are
 * written, so the same data always gives the same file.
 */
export function projectQde(content: ProjectContent): { xml: string; texts: { entry: string; text: string }[] } {
  const guid = guids(content.surveyId);
  const users = content.users
    .map(
      (user) => `    <User guid="${guid.user(user.id)}" name="${escapeXml(user.name)}" id="${escapeXml(user.id)}"/>\n`,
    )
    .join('');
  const sources = content.sources.map((source) => sourceXml(content, source)).join('');
  const xml =
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<Project xmlns="urn:QDA-XML:project:1.0" name="${escapeXml(content.title)}" origin="Survey coding platform: ${escapeXml(content.surveyId)}">\n` +
    (users ? `  <Users>\n${users}  </Users>\n` : '') +
    codeBookXml(content) +
    casesXml(content) +
    (sources ? `  <Sources>\n${sources}  </Sources>\n` : '') +
    notesXml(content) +
    `</Project>\n`;
  const texts = content.sources.map((source) => ({ entry: sourceFile(guid.source(source)).entry, text: source.text }));
  return { xml, texts };
}
