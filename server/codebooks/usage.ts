/**
 * How much each code is used. The codings belong to the coding feature, which codebooks may not
 * import: this is the port it implements (server/coding/code-usage.ts), joined in app.ts.
 */
export interface CodeUsage {
  /** Codings present now: whole answers and passages, every coder's, the reconciled ones included. */
  codings: number;
  /** Distinct answers with at least one such coding. */
  answers: number;
  /** The questions (`surveyId:questionId`) those answers belong to. */
  questions: string[];
  /** Codings per coder id. */
  byCoder: Map<string, number>;
}

export interface CodeUsageSource {
  /** The coder id under which reconciled (final) codings are kept. */
  readonly reconciledCoder: string;
  /** Usage per code of a codebook, each coding counted for the code `resolve` gives (its survivor after merges). */
  usage(codebookId: string, resolve: (codeId: string) => string): Promise<Map<string, CodeUsage>>;
}

export const unused = (): CodeUsage => ({ codings: 0, answers: 0, questions: [], byCoder: new Map() });

/** A code's usage with coders named, most codings first. */
export interface NamedUsage {
  codings: number;
  answers: number;
  questions: string[];
  coders: { name: string; codings: number }[];
}

export function namedUsage(
  usage: CodeUsage | undefined,
  names: Map<string, string>,
  reconciledCoder: string,
): NamedUsage {
  const found = usage ?? unused();
  const coders = [...found.byCoder]
    .map(([coderId, codings]) => ({
      name: coderId === reconciledCoder ? 'Reconciled (final)' : (names.get(coderId) ?? 'A removed account'),
      codings,
    }))
    .sort((a, b) => b.codings - a.codings || a.name.localeCompare(b.name));
  return { codings: found.codings, answers: found.answers, questions: [...found.questions].sort(), coders };
}
