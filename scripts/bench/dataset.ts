import { seeded } from '../../server/autocode/themes-vectors.js';
import mongoose, { type Connection } from 'mongoose';
import { ChangeCounters, surveyCounterKey } from '../../server/db/change-counter.js';

/** Deterministic pseudo-random numbers, so every bench run builds the same data (the themes' generator). */
export const random = seeded;

const phrases = [
  'cuts to early help and family support',
  'high caseloads and staff turnover',
  'universal credit and the benefit cap',
  'fear of blame after high profile child deaths',
  'a shortage of foster placements',
  'inexperienced social workers',
  'better recognition of neglect and domestic abuse',
  'thresholds keep rising',
  'families who asked for help and got none',
  'poverty and poor housing',
  'courts under pressure and the 26 week timescale',
  'agency staff and no continuity',
  'managers want court to be safe',
  'interpreters are rarely available',
  'county lines and criminal exploitation',
];
const fillers = [
  'In my experience',
  'Honestly',
  'Over the last few years',
  'In our local authority',
  'From what I see in court',
  'Mainly',
];

/** An answer of about `words` words made from the field's usual phrases. */
export function answerText(next: () => number, words = 100): string {
  const parts: string[] = [];
  let count = 0;
  while (count < words) {
    const sentence = `${fillers[Math.floor(next() * fillers.length)]} it is ${phrases[Math.floor(next() * phrases.length)]} and ${phrases[Math.floor(next() * phrases.length)]}.`;
    parts.push(sentence);
    count += sentence.split(' ').length;
  }
  return parts.join(' ');
}

const roles = [
  'social-worker',
  'team-manager',
  'barrister',
  'judge-or-magistrate',
  'foster-carer',
  'health-professional',
  'childrens-guardian',
];
const countries = ['england', 'wales', 'scotland'];
const codes = [
  'system-overload',
  'austerity',
  'missed-partnership',
  'risk-aversion',
  'cultural-competency',
  'workforce',
  'changing-awareness',
];

/**
 * Inserts `responses` submitted professionals responses, each with a drivers_text answer. With
 * `secondOpenQuestion`, promoters_text gets a varied answer of the same length too (from its own
 * random sequence, so every other answer is as without it), for benchmarks that open two questions.
 */
export async function seedAnswers(
  connection: Connection,
  responses: number,
  seed = 1,
  { secondOpenQuestion = false } = {},
): Promise<string[]> {
  const next = random(seed);
  const nextPromoters = random(seed + 1000);
  const ids: string[] = [];
  const collection = connection.collection('responses');
  for (let offset = 0; offset < responses; offset += 5000) {
    const batch = [];
    for (let i = offset; i < Math.min(responses, offset + 5000); i++) {
      const _id = new mongoose.Types.ObjectId();
      ids.push(String(_id));
      batch.push({
        _id,
        surveyId: 'professionals',
        surveyVersion: 1,
        tokenHash: `bench-${seed}-${i}`,
        status: 'submitted',
        language: 'en',
        answers: {
          consent: 'yes',
          role: roles[Math.floor(next() * roles.length)],
          country: countries[Math.floor(next() * countries.length)],
          experience: 'over-10',
          trend: 'increased',
          drivers: ['poverty', 'early-help-cuts'].slice(0, 1 + Math.floor(next() * 2)),
          drivers_text: answerText(next, 40 + Math.floor(next() * 80)),
          barriers_exist: 'no',
          promoters_text: secondOpenQuestion
            ? answerText(nextPromoters, 40 + Math.floor(nextPromoters() * 80))
            : 'Time and consistent workers.',
          quote_consent: next() < 0.7 ? 'yes' : 'no',
        },
        otherText: {},
        finishedPages: [],
        createdAt: new Date(),
        updatedAt: new Date(),
        submittedAt: new Date(),
      });
    }
    await collection.insertMany(batch);
  }
  await new ChangeCounters(connection).bump(surveyCounterKey('professionals'));
  return ids;
}

/** The question the seeded codings are on: drivers_text with its codebook unless told otherwise. */
export interface SeededQuestion {
  questionId: string;
  codebookId: string;
  codes: string[];
}

export const promotersQuestion: SeededQuestion = {
  questionId: 'promoters_text',
  codebookId: 'partnership-promoters',
  codes: ['experienced-workers', 'leadership', 'multi-agency-relationships', 'listening', 'time', 'advocacy'],
};

/** Inserts `total` coding events spread over the answers and coders, each a present coding. */
export async function seedCodings(
  connection: Connection,
  responseIds: string[],
  coderIds: string[],
  total: number,
  seed = 2,
  question: SeededQuestion = { questionId: 'drivers_text', codebookId: 'care-crisis-drivers', codes },
): Promise<void> {
  const next = random(seed);
  const collection = connection.collection('codingevents');
  const at = new Date();
  for (let offset = 0; offset < total; offset += 10_000) {
    const batch = [];
    for (let i = offset; i < Math.min(total, offset + 10_000); i++) {
      batch.push({
        surveyId: 'professionals',
        questionId: question.questionId,
        codebookId: question.codebookId,
        responseId: responseIds[i % responseIds.length],
        coderId: coderIds[Math.floor(i / responseIds.length) % coderIds.length],
        codeId: question.codes[Math.floor(next() * question.codes.length)],
        present: true,
        at,
      });
    }
    await collection.insertMany(batch);
  }
  await new ChangeCounters(connection).bump(surveyCounterKey('professionals'));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarise(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label}: n=${sorted.length} median=${percentile(sorted, 50).toFixed(1)} ms p95=${percentile(sorted, 95).toFixed(1)} ms p99=${percentile(sorted, 99).toFixed(1)} ms max=${sorted.at(-1)!.toFixed(1)} ms`;
}
