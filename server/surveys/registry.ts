import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { surveyDefinitionSchema, type Question, type SurveyDefinition } from './definition-schema.js';

export class SurveyDefinitionError extends Error {}

/** A validated survey definition with the look-ups the pages need. */
export class Survey {
  readonly questions: Question[];
  private readonly byId: Map<string, Question>;

  constructor(readonly definition: SurveyDefinition) {
    this.questions = definition.pages.flatMap((page) => page.questions);
    this.byId = new Map(this.questions.map((question) => [question.id, question]));
  }

  get id(): string {
    return this.definition.id;
  }

  question(id: string): Question | undefined {
    return this.byId.get(id);
  }

  isOpen(now: Date): boolean {
    const time = now.getTime();
    return time >= Date.parse(this.definition.opens) && time < Date.parse(this.definition.closes);
  }
}

export type SurveyRegistry = ReadonlyMap<string, Survey>;

/** Reads every `*.json` in `dir`; any broken definition stops start-up naming its file and field. */
export function loadSurveys(dir: string): SurveyRegistry {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new SurveyDefinitionError(`No survey definitions (*.json) found in ${dir}`);
  const surveys = new Map<string, Survey>();
  for (const name of files) {
    const survey = loadSurveyFile(path.join(dir, name));
    if (surveys.has(survey.id)) throw new SurveyDefinitionError(`${name}: survey id "${survey.id}" is used twice`);
    surveys.set(survey.id, survey);
  }
  return surveys;
}

export function loadSurveyFile(file: string): Survey {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SurveyDefinitionError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = surveyDefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  at ${describePath(raw, issue.path)}: ${issue.message}`);
    throw new SurveyDefinitionError(`${file}: invalid survey definition\n${problems.join('\n')}`);
  }
  const expectedId = path.basename(file, '.json');
  if (parsed.data.id !== expectedId) {
    throw new SurveyDefinitionError(`${file}: at id: "${parsed.data.id}" must match the file name "${expectedId}"`);
  }
  return new Survey(parsed.data);
}

/** Turns `pages.2.questions.1.choices` into `pages[2](about-you).questions[1](role).choices`. */
function describePath(raw: unknown, issuePath: readonly PropertyKey[]): string {
  let node: unknown = raw;
  const parts: string[] = [];
  for (const key of issuePath) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const id = z.object({ id: z.string() }).safeParse(node);
      parts[parts.length - 1] += id.success ? `[${key}](${id.data.id})` : `[${key}]`;
    } else {
      parts.push(String(key));
    }
  }
  return parts.join('.') || '(top level)';
}
