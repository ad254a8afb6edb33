import { connectDatabase } from '../../server/db/connection.js';
import { importAnswers } from '../../server/imports/service.js';
import { prepareDatabase } from '../../server/startup.js';

/** One import in a process of its own, so its peak memory is the import's: prints one JSON line. */
const [uri, file, surveyId] = process.argv.slice(2) as [string, string, string];
const connection = await connectDatabase(uri);
await prepareDatabase(connection);
const started = performance.now();
const summary = await importAnswers(
  { connection, registry: new Map() },
  {
    surveyId,
    title: 'Bench import',
    file,
    text: ['What would help you most in your work?', 'What is your role? - Other (please specify)'],
    attributes: ['What is your role?', 'Region'],
    by: 'bench',
  },
);
const seconds = (performance.now() - started) / 1000;
await connection.close();
console.log(
  JSON.stringify({
    ...summary,
    dropped: summary.dropped.length,
    seconds,
    peakMb: process.resourceUsage().maxRSS / 1024,
  }),
);
