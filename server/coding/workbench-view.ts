import { z } from 'zod';
import { confidenceOf, percentOf, type Confidence, type Suggestion } from './suggestions.js';
import type { SessionUser } from '../auth/roles.js';
import { keyedCodes, survivingCodeId } from '../codebooks/service.js';
import { inCodeGroup, type CodeRecord } from '../codebooks/model.js';
import { codeIdSchema } from '../codebooks/schema.js';
import { objectIdSchema } from '../http/validate.js';
import { noteKey, quoteKey, type QuoteRecord } from './model.js';
import type { Coding, QuestionIndex, Unit } from './read-model.js';
import { assignmentsFor, myProgress } from './assignments.js';
import { mayCompareCoders } from './settings.js';
import { redactionMatches } from './redaction.js';
import { segmentText, type TextSegment } from './segments.js';
import { codingTarget, type CodingContext, type CodingTarget } from './target.js';

/** The workbench's filters and position, as they appear in its URL. */
export const workbenchQuerySchema = z.object({
  codebook: codeIdSchema.optional(),
  at: objectIdSchema.optional(),
  /** `1`: not yet coded by me; `anyone`: not yet coded by anyone; `all`: every answer. */
  uncoded: z.enum(['1', 'anyone', 'all']).optional(),
  /** Only the answers a lead assigned to me. */
  assigned: z.enum(['1', 'all']).optional(),
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

export interface KeyedCode {
  code: CodeRecord;
  key?: string;
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
  /** Coded by me, of the answers assigned to me (of every answer when none are). */
  progress: { coded: number; total: number; assigned: boolean };
  /** Nothing is left in a filter that hides coded answers: the screen says so instead of showing an answer. */
  finished: boolean;
  /** Answers of this question are assigned, none of them to me. */
  noneAssigned: boolean;
  wholeCodes: Set<string>;
  noCode: boolean;
  spans: (Coding & { code: CodeRecord })[];
  segments: TextSegment[];
  others?: { coderId: string; codes: CodeRecord[]; noCode: boolean }[];
  memo: string;
  quote: { starredByMe: boolean; starredByOthers: number; redacted: string[] };
  /** Suggestions the engine is confident of ("likely" or "possible"), best first. */
  suggestions: ShownSuggestion[];
  /** The engine's guesses below "possible": offered apart, never accepted by the "a" key. */
  weakSuggestions: ShownSuggestion[];
  /** On a Welsh answer (no engine suggestions): the codes made from an emerging theme this answer was grouped into. */
  groupSuggestions: KeyedCode[];
}

type ShownSuggestion = Suggestion & { code: CodeRecord; key?: string; confidence: Confidence; percent: number };

function unitMatches(
  unit: Unit,
  query: WorkbenchQuery,
  index: QuestionIndex,
  coderId: string,
  resolve: (id: string) => string,
  mine: Set<string> | undefined,
  needle?: string,
): boolean {
  if (query.uncoded === '1' && index.isCodedBy(unit.responseId, coderId)) return false;
  if (query.uncoded === 'anyone' && index.isCodedByAnyone(unit.responseId)) return false;
  if (query.assigned === '1' && mine && !mine.has(unit.responseId)) return false;
  if (query.group && unit.group !== query.group) return false;
  if (query.country && unit.country !== query.country) return false;
  if (needle && !unit.text.toLowerCase().includes(needle)) return false;
  if (query.code && !index.codingsOf(unit.responseId, coderId).some((coding) => resolve(coding.codeId) === query.code))
    return false;
  return true;
}

function quoteState(
  record: QuoteRecord | null | undefined,
  user: SessionUser,
  showOthers = false,
): WorkbenchView['quote'] {
  const starredBy = record?.starredBy ?? [];
  return {
    starredByMe: starredBy.includes(user.id),
    // Under independent coding an analyst is not told that colleagues starred an answer.
    starredByOthers: showOthers ? starredBy.filter((id) => id !== user.id).length : 0,
    redacted: record?.redacted ?? [],
  };
}

export async function workbenchView(
  context: CodingContext,
  user: SessionUser,
  surveyId: string,
  questionId: string,
  query: WorkbenchQuery,
): Promise<WorkbenchView> {
  // Everything that does not depend on the answer list is fetched at once.
  const notesFor = (responseId: string) =>
    Promise.all([
      context.coding.notes.findById(noteKey(surveyId, questionId, responseId, user.id)).lean(),
      context.coding.quotes.findById(quoteKey(surveyId, questionId, responseId)).lean(),
    ]);
  const [target, notesOfAt] = await Promise.all([
    codingTarget(context, surveyId, questionId, query.codebook),
    query.at ? notesFor(query.at) : undefined,
  ]);
  const { index, codebook, settings } = target;
  const codeById = new Map(codebook.codes.map((code) => [code.codeId, code]));
  const resolve = (id: string) => survivingCodeId(codebook, id);
  const needle = query.q?.toLowerCase();
  const mine = assignmentsFor(index, settings.assignments).get(user.id);
  // Opened without filters (from "Choose what to code"): my next uncoded answer, among mine if I have some.
  if (Object.entries(query).every(([key, value]) => key === 'codebook' || !value)) {
    query = { ...query, uncoded: '1', assigned: mine ? '1' : undefined };
  }
  // Others have assignments and I have none: "assigned to me" is then an empty set, and the page says so.
  const noneAssigned = !mine && ((settings.assignments?.length ?? 0) > 0 || query.assigned === '1');
  const assignedToMe = mine ?? (noneAssigned ? new Set<string>() : undefined);
  const matches = (unit: Unit) => unitMatches(unit, query, index, user.id, resolve, assignedToMe, needle);

  const current = query.at ? index.byResponse.get(query.at) : index.units.find(matches);
  let matching = 0;
  let position: number | undefined;
  let previousId: string | undefined;
  let nextId: string | undefined;
  // Going back reaches the answers just coded too: the uncoded filter only decides what comes next.
  const hidesCoded = query.uncoded === '1' || query.uncoded === 'anyone';
  const backQuery: WorkbenchQuery = { ...query, uncoded: 'all' };
  for (const unit of index.units) {
    const matched = matches(unit);
    if (matched) matching++;
    if (!current) continue;
    if (unit.index < current.index) {
      if (matched || (hidesCoded && unitMatches(unit, backQuery, index, user.id, resolve, assignedToMe, needle)))
        previousId = unit.responseId;
    } else if (!matched) continue;
    else if (unit.index === current.index) position = matching;
    else nextId ??= unit.responseId;
  }

  const codes = keyedCodes(codebook);
  const view: WorkbenchView = {
    target,
    query,
    codes,
    matching,
    position,
    previousId,
    nextId,
    progress: myProgress(index, settings.assignments, user.id),
    noneAssigned,
    finished:
      matching === 0 &&
      (query.uncoded === '1' || query.uncoded === 'anyone') &&
      index.units.length > 0 &&
      !(noneAssigned && query.assigned === '1'),
    wholeCodes: new Set(),
    noCode: false,
    spans: [],
    segments: [],
    memo: '',
    quote: quoteState(undefined, user),
    suggestions: [],
    weakSuggestions: [],
    groupSuggestions: [],
  };
  if (!current || view.finished) return view;

  view.unit = current;
  view.noCode = index.decidedNoCode(current.responseId, user.id);
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
        noCode: index.decidedNoCode(current.responseId, coderId),
        codes: [
          ...new Set(index.codingsOf(current.responseId, coderId).map((coding) => resolve(coding.codeId))),
        ].flatMap((id) => codeById.get(id) ?? []),
      }));
  }
  const [[note, quote], suggestions] = await Promise.all([
    current.responseId === query.at && notesOfAt ? notesOfAt : notesFor(current.responseId),
    context.suggestions.suggest({
      codebook,
      text: current.text,
      limit: 3,
      coderId: user.id,
      answer: { surveyId, questionId, responseId: current.responseId, independent: settings.independent },
    }),
  ]);
  view.memo = note?.memo ?? '';
  view.quote = quoteState(quote, user, mayCompareCoders(user, settings));
  const keyOf = new Map(codes.map(({ code, key }) => [code.codeId, key]));
  // The engine reads English stems: on a Welsh answer it could only guess, so none are shown (the page says why).
  const shown = (current.language === 'cy' ? [] : suggestions).flatMap((suggestion) => {
    const code = codeById.get(suggestion.codeId);
    const confidence = confidenceOf(suggestion.score);
    return code && !code.retired
      ? [{ ...suggestion, code, key: keyOf.get(code.codeId), confidence, percent: percentOf(suggestion.score) }]
      : [];
  });
  view.suggestions = shown.filter((suggestion) => suggestion.confidence !== 'unlikely');
  view.weakSuggestions = shown.filter((suggestion) => suggestion.confidence === 'unlikely');
  if (current.language === 'cy') {
    // A group's code merged into another still stands for the group: the code it became is offered.
    const fromGroups = new Set(
      codebook.codes
        .filter(
          (code) => (!code.retired || code.mergedInto) && inCodeGroup(code, surveyId, questionId, current.responseId),
        )
        .map((code) => resolve(code.codeId)),
    );
    view.groupSuggestions = codes.filter(({ code }) => !code.retired && fromGroups.has(code.codeId));
  }
  view.segments = segmentText(current.text, view.spans, redactionMatches(current.text, view.quote.redacted));
  return view;
}
