import { pick } from '../i18n/localised.js';
import { firstUnfinishedPage, type Answers } from '../surveys/flow.js';
import { londonDay } from '../surveys/london-time.js';
import { choiceLabels, isChoiceQuestion } from '../surveys/question-types/index.js';
import type { Survey } from '../surveys/registry.js';
import type { ResponseModel } from '../surveys/responses/model.js';
import type { OpeningDates } from '../surveys/schedule.js';
import { percentOf } from './charts.js';

export interface SurveyStatus {
  state: 'open' | 'closed' | 'not yet open';
  opens: Date;
  closes: Date;
  /** The status in a sentence: "Open: takes answers until 31 December 2027." */
  message: string;
}

const longDate = (date: Date) =>
  date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

export function surveyStatus(dates: OpeningDates, now: Date): SurveyStatus {
  if (now < dates.opens)
    return { state: 'not yet open', ...dates, message: `Not open yet: opens on ${longDate(dates.opens)}.` };
  if (now >= dates.closes)
    return {
      state: 'closed',
      ...dates,
      message: `Closed: stopped taking answers at the end of ${longDate(new Date(dates.closes.getTime() - 1))}.`,
    };
  return { state: 'open', ...dates, message: `Open: takes answers until the end of ${longDate(dates.closes)}.` };
}

export interface CountRow {
  value: string;
  label: string;
  submitted: number;
  inProgress: number;
}

export interface Monitoring {
  status: SurveyStatus;
  submitted: number;
  inProgress: number;
  /** Submitted as a share of everyone who started (0-100), or null before anyone has. */
  completionRate: number | null;
  /** Where part-completed surveys stopped: the page each draft would open on next. */
  dropOff: { pageId: string; title: string; stopped: number }[];
  /** Submitted responses per London day, from the first to the last. */
  perDay: { day: string; submitted: number }[];
  /** Median minutes from starting to submitting, or null before anyone has submitted. */
  medianMinutes: number | null;
  byLanguage: CountRow[];
  byNation: CountRow[];
}

/** Where a draft with every page finished, but not yet sent, is counted. */
const CHECK_PAGE = '(check answers)';

interface Row {
  status: 'draft' | 'submitted';
  language?: string;
  answers?: Answers;
  finishedPages?: string[];
  createdAt?: Date;
  submittedAt?: Date;
}

/** Every London day from the first with a response to the last, those with none included. */
function everyDay(counts: Map<string, number>): { day: string; submitted: number }[] {
  const known = [...counts.keys()].sort();
  if (known.length === 0) return [];
  const days: { day: string; submitted: number }[] = [];
  // Noon UTC is the same calendar day in London in every season.
  for (
    let at = Date.parse(`${known[0]}T12:00:00Z`), last = Date.parse(`${known.at(-1)}T12:00:00Z`);
    at <= last;
    at += 86_400_000
  ) {
    const day = new Date(at).toISOString().slice(0, 10);
    days.push({ day, submitted: counts.get(day) ?? 0 });
  }
  return days;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function countRows(rows: Row[], keyOf: (row: Row) => string, labels: { value: string; label: string }[]): CountRow[] {
  const counted = new Map(labels.map((label) => [label.value, { ...label, submitted: 0, inProgress: 0 }]));
  for (const row of rows) {
    const key = keyOf(row);
    let entry = counted.get(key);
    if (!entry)
      counted.set(
        key,
        (entry = { value: key, label: key === '' ? 'Not given yet' : key, submitted: 0, inProgress: 0 }),
      );
    if (row.status === 'submitted') entry.submitted++;
    else entry.inProgress++;
  }
  return [...counted.values()].filter((entry) => entry.submitted + entry.inProgress > 0);
}

/** Submitted and in-progress counts alone, for lists: counted by the database, no document read here. */
export async function responseCounts(
  responses: ResponseModel,
  survey: Survey,
): Promise<{ submitted: number; inProgress: number; completionRate: number | null }> {
  const [submitted, inProgress] = await Promise.all([
    responses.countDocuments({ surveyId: survey.id, status: 'submitted' }),
    responses.countDocuments({ surveyId: survey.id, status: 'draft' }),
  ]);
  return {
    submitted,
    inProgress,
    completionRate: submitted + inProgress === 0 ? null : percentOf(submitted, submitted + inProgress),
  };
}

/**
 * How a survey is doing while it is open: counts, completion, drop-off, responses per day, time to
 * complete, by language and nation. Responses are streamed and only the answers that decide the
 * routing and the nation are read: never an answer's text.
 */
export async function monitorSurvey(
  responses: ResponseModel,
  survey: Survey,
  dates: OpeningDates,
  now: Date,
): Promise<Monitoring> {
  const countryId = survey.definition.profile.country;
  const routing = new Set([
    countryId,
    ...survey.questions.flatMap((question) => (question.showIf ? [question.showIf.question] : [])),
  ]);
  const projection = Object.fromEntries(
    [
      ...['status', 'language', 'finishedPages', 'createdAt', 'submittedAt'],
      ...[...routing].map((id) => `answers.${id}`),
    ].map((field) => [field, 1]),
  );
  const byLanguage: Row[] = [];
  const stoppedAt = new Map<string, number>();
  const days = new Map<string, number>();
  const minutes: number[] = [];
  let submitted = 0;
  let inProgress = 0;
  const cursor = responses.find({ surveyId: survey.id }, projection).lean().cursor({ batchSize: 2000 });
  try {
    for await (const document of cursor) {
      const row = document as unknown as Row;
      // Only what the counts by language and nation need is kept.
      byLanguage.push({
        status: row.status,
        language: row.language,
        answers: { [countryId]: row.answers?.[countryId] ?? '' } as Answers,
      });
      if (row.status === 'draft') {
        inProgress++;
        const id = firstUnfinishedPage(survey, row.answers ?? {}, row.finishedPages ?? [])?.id ?? CHECK_PAGE;
        stoppedAt.set(id, (stoppedAt.get(id) ?? 0) + 1);
        continue;
      }
      submitted++;
      if (row.submittedAt) days.set(londonDay(row.submittedAt), (days.get(londonDay(row.submittedAt)) ?? 0) + 1);
      if (row.createdAt && row.submittedAt)
        minutes.push(Math.max(0, (row.submittedAt.getTime() - row.createdAt.getTime()) / 60_000));
    }
  } finally {
    await cursor.close();
  }
  const dropOff = [
    ...survey.definition.pages.map((page) => ({
      pageId: page.id,
      title: pick(page.title, 'en'),
      stopped: stoppedAt.get(page.id) ?? 0,
    })),
    {
      pageId: CHECK_PAGE,
      title: 'Check your answers (every page done, not sent)',
      stopped: stoppedAt.get(CHECK_PAGE) ?? 0,
    },
  ];
  const country = survey.question(countryId);
  const nations = country && isChoiceQuestion(country) ? choiceLabels(country) : [];
  return {
    status: surveyStatus(dates, now),
    submitted,
    inProgress,
    completionRate: submitted + inProgress === 0 ? null : percentOf(submitted, submitted + inProgress),
    dropOff,
    perDay: everyDay(days),
    medianMinutes: median(minutes),
    byLanguage: countRows(byLanguage, (row) => row.language ?? 'en', [
      { value: 'en', label: 'English' },
      { value: 'cy', label: 'Welsh (Cymraeg)' },
    ]),
    byNation: countRows(byLanguage, (row) => String(row.answers?.[countryId] ?? ''), nations),
  };
}
