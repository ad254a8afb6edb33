import { z } from 'zod';
import type { SuggestionSource, Suggestion } from '../autocode/suggest.js';
import type { SessionUser } from '../auth/user-model.js';
import { activeCodes, getCodebookAt, survivingCodeId, type Codebook } from '../codebooks/service.js';
import { codebookCounterKey, surveyCounterKey } from '../db/change-counter.js';
import type { CodebookModels, CodeRecord } from '../codebooks/model.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import type { Question } from '../surveys/definition-schema.js';
import type { Survey, SurveyRegistry } from '../surveys/registry.js';
import { noteKey, quoteKey, settingsKey, type CodingModels, type QuestionSettings, type QuoteRecord } from './model.js';
import type { Coding, CodingReadModel, QuestionIndex, Unit } from './read-model.js';

export interface CodingContext {
  surveys: SurveyRegistry;
  codebooks: CodebookModels;
  coding: CodingModels;
  readModel: CodingReadModel;
  suggestions: SuggestionSource;
}

export const objectIdSchema = z.string().regex(/^[a-f0-9]{24}$/);

/** The workbench's filters and position, as they appear in its URL. */
export const workbenchQuerySchema = z.object({
  codebook: codeIdSchema.optional(),
  at: objectIdSchema.optional(),
  uncoded: z.literal('1').optional(),
  code: codeIdSchema.optional(),
  group: z.string().max(60).optional(),
  country: z.string().max(60).optional(),
  q: z.string().trim().max(200).optional(),
});
export type WorkbenchQuery = z.infer<typeof workbenchQuerySchema>;

export function workbenchUrl(surveyId: string, questionId: string, query: WorkbenchQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `/work/${surveyId}/${questionId}${search ? `?${search}` : ''}`;
}

export interface CodingTarget {
  survey: Survey;
  question: Extract<Question, { type: 'text' }>;
  codebook: Codebook;
  index: QuestionIndex;
}

/** Resolves a survey, one of its open questions and a codebook, or says which of them is wrong. */
export async function codingTarget(context: CodingContext, surveyId: string, questionId: string, codebookId?: string): Promise<CodingTarget> {
  const survey = context.surveys.get(surveyId);
  const question = survey?.question(questionId);
  if (!survey || !question || question.type !== 'text') throw new NotFoundError(`There is no open question "${questionId}" in "${surveyId}".`);
  const chosen = codebookId ?? question.codedWith;
  if (!chosen) throw new BadRequestError('Choose a codebook for this question.');
  // One round trip tells whether the cached codebook and answers are current.
  const versions = await context.readModel.context.counters.readMany([surveyCounterKey(survey.id), codebookCounterKey(chosen)]);
  const codebook = await getCodebookAt(context.codebooks, chosen, versions.get(codebookCounterKey(chosen)) ?? 0);
  const index = await context.readModel.getAt(survey, questionId, codebook.id, versions.get(surveyCounterKey(survey.id)) ?? 0);
  return { survey, question, codebook, index };
}

export async function questionSettings(context: CodingContext, surveyId: string, questionId: string): Promise<QuestionSettings> {
  const stored = await context.coding.settings.findById(settingsKey(surveyId, questionId)).lean();
  // Independent coding is the safe default: nobody sees another coder's work until an admin says so.
  return stored ?? { _id: settingsKey(surveyId, questionId), independent: true };
}

export interface KeyedCode {
  code: CodeRecord;
  key?: string;
}

export interface TextSegment {
  text: string;
  codes: CodeRecord[];
  redacted: boolean;
}

export interface WorkbenchView {
  target: CodingTarget;
  query: WorkbenchQuery;
  codes: KeyedCode[];
  unit?: Unit;
  position?: number;
  matching: number;
  previousId?: string;
  nextId?: string;
  progress: { coded: number; total: number };
  wholeCodes: Set<string>;
  spans: (Coding & { code: CodeRecord })[];
  segments: TextSegment[];
  others?: { coderId: string; codes: CodeRecord[] }[];
  memo: string;
  quote?: QuoteRecord;
  suggestions: (Suggestion & { code: CodeRecord; key?: string })[];
  settings: QuestionSettings;
}

function unitMatches(unit: Unit, query: WorkbenchQuery, index: QuestionIndex, coderId: string, resolve: (id: string) => string, needle?: string): boolean {
  if (query.uncoded && index.isCodedBy(unit.responseId, coderId)) return false;
  if (query.group && unit.group !== query.group) return false;
  if (query.country && unit.country !== query.country) return false;
  if (needle && !unit.lowerText.includes(needle)) return false;
  if (query.code && !index.codingsOf(unit.responseId, coderId).some((coding) => resolve(coding.codeId) === query.code)) return false;
  return true;
}

export async function workbenchView(context: CodingContext, user: SessionUser, surveyId: string, questionId: string, query: WorkbenchQuery): Promise<WorkbenchView> {
  // Everything that does not depend on the answer list is fetched at once.
  const notesFor = (responseId: string) =>
    Promise.all([
      context.coding.notes.findById(noteKey(surveyId, questionId, responseId, user.id)).lean(),
      context.coding.quotes.findById(quoteKey(surveyId, questionId, responseId)).lean(),
    ]);
  const [target, settings, notesOfAt] = await Promise.all([
    codingTarget(context, surveyId, questionId, query.codebook),
    questionSettings(context, surveyId, questionId),
    query.at ? notesFor(query.at) : undefined,
  ]);
  const { index, codebook } = target;
  const codeById = new Map(codebook.codes.map((code) => [code.codeId, code]));
  const resolve = (id: string) => survivingCodeId(codebook, id);
  const needle = query.q?.toLowerCase();
  const matches = (unit: Unit) => unitMatches(unit, query, index, user.id, resolve, needle);

  const current = query.at ? index.byResponse.get(query.at) : index.units.find(matches);
  let matching = 0;
  let position: number | undefined;
  let previousId: string | undefined;
  let nextId: string | undefined;
  for (const unit of index.units) {
    if (!matches(unit)) continue;
    matching++;
    if (!current) continue;
    if (unit.index < current.index) previousId = unit.responseId;
    else if (unit.index === current.index) position = matching;
    else nextId ??= unit.responseId;
  }

  const codes = activeCodes(codebook).map((code, order) => ({ code, key: order < 9 ? String(order + 1) : undefined }));
  const view: WorkbenchView = {
    target,
    query,
    codes,
    matching,
    position,
    previousId,
    nextId,
    progress: { coded: index.codedCount(user.id), total: index.units.length },
    wholeCodes: new Set(),
    spans: [],
    segments: [],
    memo: '',
    suggestions: [],
    settings,
  };
  if (!current) return view;

  view.unit = current;
  for (const coding of index.codingsOf(current.responseId, user.id)) {
    const code = codeById.get(resolve(coding.codeId));
    if (!code) continue;
    if (coding.start === undefined) view.wholeCodes.add(code.codeId);
    else view.spans.push({ ...coding, code });
  }
  view.spans.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  if (!settings.independent) {
    view.others = index
      .codersOf(current.responseId)
      .filter((coder) => coder !== user.id)
      .map((coderId) => ({
        coderId,
        codes: [...new Set(index.codingsOf(current.responseId, coderId).map((coding) => resolve(coding.codeId)))].flatMap((id) => codeById.get(id) ?? []),
      }));
  }
  const [[note, quote], suggestions] = await Promise.all([
    current.responseId === query.at && notesOfAt ? notesOfAt : notesFor(current.responseId),
    context.suggestions.suggest({ codebook, text: current.text, limit: 3 }),
  ]);
  view.memo = note?.memo ?? '';
  view.quote = quote ?? undefined;
  const keyOf = new Map(codes.map(({ code, key }) => [code.codeId, key]));
  view.suggestions = suggestions.flatMap((suggestion) => {
    const code = codeById.get(suggestion.codeId);
    return code && !code.retired ? [{ ...suggestion, code, key: keyOf.get(code.codeId) }] : [];
  });
  view.segments = segmentText(current.text, view.spans, quote?.redactions ?? []);
  return view;
}

/** Splits the answer at every span boundary so each piece can be marked with its codes. */
export function segmentText(text: string, spans: (Coding & { code: CodeRecord })[], redactions: { start: number; end: number }[]): TextSegment[] {
  const cuts = new Set([0, text.length]);
  for (const span of [...spans, ...redactions]) {
    cuts.add(Math.max(0, Math.min(text.length, span.start ?? 0)));
    cuts.add(Math.max(0, Math.min(text.length, span.end ?? 0)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: TextSegment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (start === end) continue;
    segments.push({
      text: text.slice(start, end),
      codes: spans.filter((span) => (span.start ?? 0) <= start && (span.end ?? 0) >= end).map((span) => span.code),
      redacted: redactions.some((redaction) => redaction.start <= start && redaction.end >= end),
    });
  }
  return segments;
}

export const spanSchema = z
  .object({
    start: z.coerce.number().int().min(0).optional(),
    end: z.coerce.number().int().min(1).optional(),
    words: z.string().max(10_000).optional(),
  })
  .transform((value) => ({ ...value, words: value.words?.trim() || undefined }));
export type SpanInput = z.infer<typeof spanSchema>;

/** A span given as offsets (from a text selection) or, without JavaScript, as the exact words. */
export function resolveSpan(text: string, input: SpanInput): { start: number; end: number } {
  if (input.words) {
    const start = text.indexOf(input.words);
    if (start < 0) throw new BadRequestError('Those words are not in the answer. Copy them exactly as they appear.');
    return { start, end: start + input.words.length };
  }
  if (input.start === undefined || input.end === undefined || input.start >= input.end || input.end > text.length) {
    throw new BadRequestError('Select some of the answer text first (or type the exact words).');
  }
  return { start: input.start, end: input.end };
}

function unitOf(target: CodingTarget, responseId: string): Unit {
  const unit = target.index.byResponse.get(responseId);
  if (!unit) throw new NotFoundError('That answer is not part of this question.');
  return unit;
}

function activeCode(target: CodingTarget, codeId: string): CodeRecord {
  const code = activeCodes(target.codebook).find((candidate) => candidate.codeId === codeId);
  if (!code) throw new BadRequestError(`"${codeId}" is not an active code of ${target.codebook.name}.`);
  return code;
}

const eventBase = (target: CodingTarget, responseId: string, coderId: string) => ({
  surveyId: target.survey.id,
  questionId: target.question.id,
  codebookId: target.codebook.id,
  responseId,
  coderId,
});

/** Adds the code to the whole answer, or takes it off if this coder already has it there. */
export async function toggleWholeCode(context: CodingContext, target: CodingTarget, user: SessionUser, responseId: string, codeId: string): Promise<boolean> {
  unitOf(target, responseId);
  activeCode(target, codeId);
  const resolve = (id: string) => survivingCodeId(target.codebook, id);
  const existing = target.index.codingsOf(responseId, user.id).filter((coding) => coding.start === undefined && resolve(coding.codeId) === codeId);
  const present = existing.length === 0;
  // Taking a code off also clears any merged-away code that now counts as it.
  const events = present
    ? [{ ...eventBase(target, responseId, user.id), codeId, present: true }]
    : existing.map((coding) => ({ ...eventBase(target, responseId, user.id), codeId: coding.codeId, present: false }));
  await context.readModel.record(target.survey, events);
  return present;
}

export async function setSpanCode(context: CodingContext, target: CodingTarget, user: SessionUser, responseId: string, codeId: string, input: SpanInput, present: boolean): Promise<void> {
  const unit = unitOf(target, responseId);
  if (present) activeCode(target, codeId);
  const { start, end } = resolveSpan(unit.text, input);
  await context.readModel.record(target.survey, [{ ...eventBase(target, responseId, user.id), codeId, start, end, present }]);
}

export async function saveMemo(context: CodingContext, target: CodingTarget, user: SessionUser, responseId: string, memo: string): Promise<void> {
  unitOf(target, responseId);
  const key = noteKey(target.survey.id, target.question.id, responseId, user.id);
  await context.coding.notes.updateOne({ _id: key }, { $set: { memo: memo.trim().slice(0, 5000), updatedAt: new Date() } }, { upsert: true });
}

export async function toggleStar(context: CodingContext, target: CodingTarget, user: SessionUser, responseId: string): Promise<boolean> {
  unitOf(target, responseId);
  const key = quoteKey(target.survey.id, target.question.id, responseId);
  const existing = await context.coding.quotes.findById(key).lean();
  const starred = !existing?.starred;
  await context.coding.quotes.updateOne(
    { _id: key },
    {
      $set: {
        starred,
        starredBy: user.email,
        updatedAt: new Date(),
        surveyId: target.survey.id,
        questionId: target.question.id,
        responseId,
        redactions: existing?.redactions ?? [],
      },
    },
    { upsert: true },
  );
  return starred;
}

export async function setRedaction(context: CodingContext, target: CodingTarget, responseId: string, input: SpanInput, present: boolean): Promise<void> {
  const unit = unitOf(target, responseId);
  const key = quoteKey(target.survey.id, target.question.id, responseId);
  const existing = await context.coding.quotes.findById(key).lean();
  if (!existing?.starred) throw new BadRequestError('Star the answer as a quote before marking words to redact.');
  const span = resolveSpan(unit.text, input);
  const others = existing.redactions.filter((redaction) => redaction.start !== span.start || redaction.end !== span.end);
  const redactions = present ? [...others, span].sort((a, b) => a.start - b.start) : others;
  await context.coding.quotes.updateOne({ _id: key }, { $set: { redactions, updatedAt: new Date() } });
}
