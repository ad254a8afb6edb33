import { readEnvironment } from '../config.js';
import { record } from '../audit/service.js';
import { ImportRefusedError, importAnswers, importAuditEntry, type ImportSummary } from '../imports/service.js';
import { prepareDatabase } from '../startup.js';
import { loadSurveys } from '../surveys/registry.js';
import { commandArgs, requireOption, UsageError } from './args.js';
import { withDatabase } from './database.js';

const usage = 'import --survey ID --title TITLE --file PATH [--text COLUMN]... [--attribute COLUMN]...';

/**
 * `import`: the chosen columns of a CSV or XLSX export as an imported survey. One JSON line
 * {survey, layout, rows, imported, skipped, dropped, errors}; an unreadable file, an unknown column
 * or a refused personal column exits 2 having stored nothing.
 */
export async function importCommand(args: string[]): Promise<ImportSummary> {
  const options = commandArgs(
    args,
    {
      survey: { type: 'string' },
      title: { type: 'string' },
      file: { type: 'string' },
      text: { type: 'string', multiple: true },
      attribute: { type: 'string', multiple: true },
    },
    usage,
  );
  const request = {
    surveyId: requireOption(options.survey, 'survey', usage),
    title: requireOption(options.title, 'title', usage),
    file: requireOption(options.file, 'file', usage),
    text: options.text ?? [],
    attributes: options.attribute ?? [],
    by: 'command line',
  };
  const surveysDir = readEnvironment().SURVEYS_DIR;
  try {
    return await withDatabase(async (connection) => {
      await prepareDatabase(connection);
      const summary = await importAnswers({ connection, registry: new Map(loadSurveys(surveysDir)) }, request);
      await record(connection, importAuditEntry('command line', summary));
      return summary;
    });
  } catch (error) {
    if (error instanceof ImportRefusedError) throw new UsageError(`${request.file}: ${error.message}`);
    throw error;
  }
}
