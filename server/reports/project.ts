import { strToU8, zipSync, type Zippable } from 'fflate';
import { coderNames } from '../auth/service.js';
import { activeCodes, survivingCodeId } from '../codebooks/service.js';
import { codedQuestions } from '../coding/coded-questions.js';
import { datedMemosByAnswer } from '../coding/memos-service.js';
import { FINAL_CODER } from '../coding/model.js';
import { codingTarget, type CodingDataContext, type CodingTarget } from '../coding/target.js';
import type { Survey } from '../surveys/registry.js';
import { projectQde, type ProjectContent, type ProjectSource } from './qde.js';

/** The user the reconciled (final) codings are credited to. */
export const RECONCILED_USER = { id: FINAL_CODER, name: 'reconciled' };

/** Every coding, and the memos, of one answer to one question, from each codebook it is coded with. */
function sourceOf(
  targets: CodingTarget[],
  responseId: string,
  memos: Map<string, { text: string; at: Date }>,
): ProjectSource | undefined {
  const first = targets[0]!;
  const unit = first.index.byResponse.get(responseId);
  if (!unit) return undefined;
  const codings = targets.flatMap(({ index, codebook }) =>
    [...index.codersOf(responseId), ...(index.isReconciled(responseId) ? [FINAL_CODER] : [])].flatMap((userId) =>
      // "No code applies" is a decision, not a code: codingsOf leaves it out.
      index.codingsOf(responseId, userId).map((coding) => ({
        userId,
        codebookId: codebook.id,
        codeId: survivingCodeId(codebook, coding.codeId),
        start: coding.start,
        end: coding.end,
      })),
    ),
  );
  const userMemos = [...memos.entries()]
    .filter(([key]) => key.startsWith(`${responseId}:`))
    .map(([key, memo]) => ({ userId: key.slice(responseId.length + 1), text: memo.text, at: memo.at }))
    .sort((a, b) => (a.userId < b.userId ? -1 : 1));
  return { responseId, questionId: first.question.id, text: unit.text, codings, memos: userMemos };
}

/**
 * One survey's coded open answers as a REFI-QDA project: each answer (of a submitted response) to
 * an open question that has a codebook is a source; each coder's codings, and the reconciled ones,
 * are selections; memos are notes; respondents are cases with their group and country.
 */
export async function surveyProject(context: CodingDataContext, survey: Survey): Promise<ProjectContent> {
  const questions = await codedQuestions(context.coding, survey);
  const names = await coderNames(context.users);
  const sources: ProjectSource[] = [];
  const books = new Map<string, CodingTarget['codebook']>();
  const profile = new Map<string, Record<string, string>>();
  // Everyone who coded, "no code applies" included, and the reconciled user once anything is reconciled.
  const userIds = new Set<string>();
  const { group, country } = survey.definition.profile;
  for (const { question, codebookIds } of questions) {
    const targets = await Promise.all(
      codebookIds.map((codebookId) => codingTarget(context, survey.id, question.id, codebookId)),
    );
    for (const { codebook, index } of targets) {
      books.set(codebook.id, codebook);
      for (const coder of index.allCoders()) userIds.add(coder);
      if (index.units.some((unit) => index.isReconciled(unit.responseId))) userIds.add(FINAL_CODER);
    }
    const memos = await datedMemosByAnswer(context, targets[0]!);
    for (const unit of targets[0]!.index.units) {
      const source = sourceOf(targets, unit.responseId, memos);
      if (source) sources.push(source);
      const values: Record<string, string> = {};
      if (unit.group) values[group] = survey.choiceLabel(group, unit.group) ?? unit.group;
      if (unit.country) values[country] = survey.choiceLabel(country, unit.country) ?? unit.country;
      profile.set(unit.responseId, values);
    }
  }
  for (const source of sources) for (const item of [...source.codings, ...source.memos]) userIds.add(item.userId);
  const used = new Set(sources.flatMap((source) => source.codings.map((c) => `${c.codebookId}:${c.codeId}`)));
  const variable = (id: string) => ({ id, description: survey.question(id)?.text.en ?? id });
  return {
    surveyId: survey.id,
    title: survey.definition.title.en,
    users: [
      ...[...userIds]
        .filter((id) => id !== FINAL_CODER)
        .map((id) => ({ id, name: names.get(id) ?? id }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      ...(userIds.has(FINAL_CODER) ? [RECONCILED_USER] : []),
    ],
    codebooks: [...books.values()].map((book) => ({
      id: book.id,
      name: book.name,
      // Retired codes are left out unless some coding still uses them.
      codes: book.codes.filter((code) => activeCodes(book).includes(code) || used.has(`${book.id}:${code.codeId}`)),
    })),
    variables: [group, country].filter((id) => survey.question(id)).map(variable),
    cases: [...profile.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([responseId, values]) => ({ responseId, values })),
    sources,
  };
}

/** A fixed date for every zip entry, so the same project always gives the same bytes. */
const ENTRY_DATE = new Date(2000, 0, 1);

/**
 * The project as a `.qdpx`: a zip of `project.qde` and `Sources/*.txt`, each text UTF-8 without a
 * byte-order mark (QualCoder would count one as a character and shift every passage).
 */
export function qdpxZip(content: ProjectContent): Uint8Array {
  const { xml, texts } = projectQde(content);
  const files: Zippable = { 'project.qde': strToU8(xml) };
  for (const { entry, text } of texts) files[entry] = strToU8(text);
  return zipSync(files, { level: 6, mtime: ENTRY_DATE });
}

/** The survey's REFI-QDA project, zipped, with the file name to give it. */
export async function surveyQdpx(
  context: CodingDataContext,
  survey: Survey,
): Promise<{ filename: string; zip: Uint8Array }> {
  return { filename: `${survey.id}-project.qdpx`, zip: qdpxZip(await surveyProject(context, survey)) };
}
