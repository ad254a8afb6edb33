import fs from 'node:fs';
import path from 'node:path';
import { readDataFile } from '../data-files.js';
import { surveyDefinitionSchema, type Question, type SurveyDefinition } from './definition-schema.js';

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
  if (files.length === 0) throw new Error(`No survey definitions (*.json) found in ${dir}`);
  const surveys = new Map<string, Survey>();
  for (const name of files) {
    const survey = loadSurveyFile(path.join(dir, name));
    if (surveys.has(survey.id)) throw new Error(`${name}: survey id "${survey.id}" is used twice`);
    surveys.set(survey.id, survey);
  }
  return surveys;
}

export function loadSurveyFile(file: string): Survey {
  const definition = readDataFile(file, surveyDefinitionSchema, 'survey definition');
  const expectedId = path.basename(file, '.json');
  if (definition.id !== expectedId) {
    throw new Error(`${file}: at id: "${definition.id}" must match the file name "${expectedId}"`);
  }
  return new Survey(definition);
}
