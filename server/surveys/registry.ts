import fs from 'node:fs';
import path from 'node:path';
import { readDataFile } from '../data-files.js';
import { NotFoundError } from '../http/errors.js';
import { definitionInstant } from './london-time.js';
import { choiceLabels, isChoiceQuestion, typeOf, type TextQuestion } from './question-types/index.js';
import { surveyDefinitionSchema, type Question, type SurveyDefinition } from './definition-schema.js';

/** A validated survey definition with the look-ups the pages need. */
export class Survey {
  readonly questions: Question[];
  private readonly byId: Map<string, Question>;

  /** `imported`: answers from another tool's export, coded here; it has no public pages. */
  constructor(
    readonly definition: SurveyDefinition,
    readonly origin: 'hosted' | 'imported' = 'hosted',
  ) {
    this.questions = definition.pages.flatMap((page) => page.questions);
    this.byId = new Map(this.questions.map((question) => [question.id, question]));
  }

  get id(): string {
    return this.definition.id;
  }

  /**
   * Whether respondents could answer in Welsh: a hosted survey whose definition is translated. Only
   * then do reports break answers down by language (an imported survey's answers have none).
   */
  get offersWelsh(): boolean {
    return this.origin === 'hosted' && this.definition.title.cy !== undefined;
  }

  question(id: string): Question | undefined {
    return this.byId.get(id);
  }

  /** The English label of a choice question's answer ("Barrister"), or undefined if there is none. */
  choiceLabel(questionId: string, value: string | undefined): string | undefined {
    const question = this.byId.get(questionId);
    if (!question || !isChoiceQuestion(question) || value === undefined) return undefined;
    return choiceLabels(question).find((choice) => choice.value === value)?.label;
  }

  /** The choices of a profile question (group or country), in English, for filters and breakdowns. */
  profileChoices(field: 'group' | 'country'): { value: string; label: string }[] {
    const question = this.byId.get(this.definition.profile[field]);
    return question && isChoiceQuestion(question) ? choiceLabels(question) : [];
  }

  /** The open (free-text) questions: the ones analysts code. */
  openQuestions(): TextQuestion[] {
    return this.questions.filter((question): question is TextQuestion => typeOf(question).coded === true);
  }

  /** The opening and closing instants the definition file gives (a date alone is a whole London day). */
  definedDates(): { opens: Date; closes: Date } {
    return {
      opens: definitionInstant(this.definition.opens, 'start'),
      closes: definitionInstant(this.definition.closes, 'end'),
    };
  }

  isOpen(now: Date): boolean {
    if (this.origin === 'imported') return false;
    const { opens, closes } = this.definedDates();
    return now >= opens && now < closes;
  }
}

export type SurveyRegistry = ReadonlyMap<string, Survey>;

/** The surveys of a running app: the definition files', then imported ones added as they are found. */
export type MutableSurveyRegistry = Map<string, Survey>;

/** The survey with this id, or "not found". */
export function findSurvey(surveys: SurveyRegistry, surveyId: string): Survey {
  const survey = surveys.get(surveyId);
  if (!survey) throw new NotFoundError();
  return survey;
}

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
