import { userModel } from '../auth/user-model.js';
import { codebookModels } from '../codebooks/model.js';
import { codingModels } from '../coding/model.js';
import { CodingReadModel } from '../coding/read-model.js';
import { readEnvironment } from '../config.js';
import { ChangeCounters } from '../db/change-counter.js';
import { ImportedSurveyCatalogue } from '../imports/catalogue.js';
import { surveyQdpx } from '../reports/project.js';
import { loadSurveys } from '../surveys/registry.js';
import { responseModel } from '../surveys/responses/model.js';
import { prepareDatabase } from '../startup.js';
import { commandArgs, requireOption, UsageError } from './args.js';
import { withDatabase } from './database.js';

const usage = 'project --survey <survey-id> --format qdpx > project.qdpx';

/**
 * `project --survey ID --format qdpx`: the survey's coded answers as a REFI-QDA project, the same
 * file as the admin download, as bytes for standard output.
 */
export async function projectCommand(args: string[]): Promise<Uint8Array> {
  const options = commandArgs(args, { survey: { type: 'string' }, format: { type: 'string', default: 'qdpx' } }, usage);
  const surveyId = requireOption(options.survey, 'survey', usage);
  if (options.format !== 'qdpx') throw new UsageError(`Unknown format "${options.format}": the only format is qdpx`);
  const env = readEnvironment();
  const surveys = new Map(loadSurveys(env.SURVEYS_DIR));
  return withDatabase(async (connection) => {
    await prepareDatabase(connection);
    const counters = new ChangeCounters(connection);
    // Imported surveys are in the database, not the definition files.
    await new ImportedSurveyCatalogue(connection, counters, surveys).refresh(true);
    const survey = surveys.get(surveyId);
    if (!survey) throw new UsageError(`Unknown survey "${surveyId}". Known: ${[...surveys.keys()].join(', ')}`);
    const coding = codingModels(connection);
    const readModel = new CodingReadModel({ responses: responseModel(connection), coding, counters });
    const context = {
      surveys,
      codebooks: codebookModels(connection),
      coding,
      readModel,
      counters,
      users: userModel(connection),
    };
    const { zip } = await surveyQdpx(context, survey);
    // A question read from scratch starts a checkpoint save: let it land before the database closes.
    await readModel.checkpointsSaved();
    return zip;
  });
}
