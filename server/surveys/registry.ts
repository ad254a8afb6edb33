import fs from 'node:fs';
import path from 'node:path';
import { readDataFile } from '../data-files.js';
import { definitionInstant } from './london-time.js';
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

  /** The open (free-text) questions: the ones analysts code. */
  openQuestions(): Extract<Question, { type: 'text' }>[] {
    return this.questions.filter(
      (question): question is Extract<Question, { type: 'text' }> => question.type === 'text',
    );
  }

  /** The opening and closing instants the definition file gives (a date alone is a whole London day). */
  definedDates(): { opens: Date; closes: Date } {
    return {
      opens: definitionInstant(this.definition.opens, 'start'),
      closes: definitionInstant(this.definition.closes, 'end'),
    };
  }

  isOpen(now: Date): boolean {
    const { opens, closes } = this.definedDates();
    return now >= opens && now < closes;
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
