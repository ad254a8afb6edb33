import type { Locale } from '../../i18n/localised.js';
import type { Answers } from '../flow.js';
import { typeOf } from '../question-types/index.js';
import type { Survey } from '../registry.js';

/** The language each page was answered in, by page id (recorded as each page is saved). */
export type PageLanguages = Record<string, Locale>;

/**
 * The language a response was written in, for the analysts (the workbench's Welsh tag, the
 * breakdowns by language, `lang="cy"` on quotes). Pages count, not the language of the page the
 * respondent happened to press Send on:
 * - the pages with written answers (an open answer, or an "Other, please say" box) decide: Welsh
 *   if at least half of them were answered on Welsh pages;
 * - with nothing written, every answered page counts the same way;
 * - a draft saved before pages recorded their language keeps the language it was last saved in.
 * A tie goes to Welsh, so a Welsh-reading analyst sees an answer that is partly Welsh.
 */
export function answeredLanguage(
  survey: Survey,
  { answers, otherText }: { answers: Answers; otherText: Record<string, string> },
  pageLanguages: PageLanguages,
  fallback: Locale,
): Locale {
  const written = { en: 0, cy: 0 };
  const answered = { en: 0, cy: 0 };
  for (const page of survey.definition.pages) {
    const language = pageLanguages[page.id];
    if (language !== 'en' && language !== 'cy') continue;
    const given = page.questions.filter((question) => answers[question.id] !== undefined);
    if (given.length === 0) continue;
    answered[language]++;
    const wrote = given.some(
      (question) =>
        (typeOf(question).coded === true && String(answers[question.id]).trim() !== '') ||
        (otherText[question.id] ?? '').trim() !== '',
    );
    if (wrote) written[language]++;
  }
  const counts = written.en + written.cy > 0 ? written : answered;
  if (counts.en + counts.cy === 0) return fallback;
  return counts.cy >= counts.en ? 'cy' : 'en';
}
