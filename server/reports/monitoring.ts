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

/**
 * How a survey is doing while it is open: counts, completion, drop-off, responses per day, time to
 * complete, by language and nation. Reads no answer text into the result.
 */
export async function monitorSurvey(
  responses: ResponseModel,
  survey: Survey,
  dates: OpeningDates,
  now: Date,
): Promise<Monitoring> {
  const countryId = survey.definition.profile.country;
  const rows: Row[] = [];
  const cursor = responses
    .find(
      { surveyId: survey.id },
      { status: 1, language: 1, answers: 1, finishedPages: 1, createdAt: 1, submittedAt: 1 },
    )
    .lean()
    .cursor({ batchSize: 2000 });
  try {
    for await (const document of cursor) rows.push(document as unknown as Row);
  } finally {
    await cursor.close();
  }
  const submittedRows = rows.filter((row) => row.status === 'submitted');
  const drafts = rows.filter((row) => row.status === 'draft');

  const stoppedAt = new Map<string, number>();
  for (const draft of drafts) {
    const page = firstUnfinishedPage(survey, draft.answers ?? {}, draft.finishedPages ?? []);
    const id = page?.id ?? '(check answers)';
    stoppedAt.set(id, (stoppedAt.get(id) ?? 0) + 1);
  }
  const dropOff = [
    ...survey.definition.pages.map((page) => ({
      pageId: page.id,
      title: pick(page.title, 'en'),
      stopped: stoppedAt.get(page.id) ?? 0,
    })),
    {
      pageId: '(check answers)',
      title: 'Check your answers (every page done, not sent)',
      stopped: stoppedAt.get('(check answers)') ?? 0,
    },
  ];

  const days = new Map<string, number>();
  for (const row of submittedRows)
    if (row.submittedAt) days.set(londonDay(row.submittedAt), (days.get(londonDay(row.submittedAt)) ?? 0) + 1);
  const perDay = everyDay(days);

  const minutes = submittedRows
    .filter((row) => row.createdAt && row.submittedAt)
    .map((row) => Math.max(0, (row.submittedAt!.getTime() - row.createdAt!.getTime()) / 60_000));
  const country = survey.question(countryId);
  const nations = country && isChoiceQuestion(country) ? choiceLabels(country) : [];
  const started = rows.length;
  return {
    status: surveyStatus(dates, now),
    submitted: submittedRows.length,
    inProgress: drafts.length,
    completionRate: started === 0 ? null : percentOf(submittedRows.length, started),
    dropOff,
    perDay,
    medianMinutes: median(minutes),
    byLanguage: countRows(rows, (row) => row.language ?? 'en', [
      { value: 'en', label: 'English' },
      { value: 'cy', label: 'Welsh (Cymraeg)' },
    ]),
    byNation: countRows(rows, (row) => String(row.answers?.[countryId] ?? ''), nations),
  };
}
