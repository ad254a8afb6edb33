import { readEnvironment } from '../config.js';
import { agreementCommand } from './agreement.js';
import { UsageError } from './args.js';
import { backupCommand, restoreCommand } from './backup.js';
import { codebookCommand } from './codebook.js';
import { codebookImportCommand } from './codebook-import.js';
import { createUserCommand } from './create-user.js';
import { importCommand } from './import.js';
import { projectCommand } from './project.js';
import { retentionCommand } from './retention.js';
import { suggestCommand } from './suggest.js';
import { listSurveys } from './surveys.js';

const commands: Record<string, (args: string[]) => Promise<unknown> | unknown> = {
  surveys: () => listSurveys(readEnvironment().SURVEYS_DIR, new Date()),
  'create-user': createUserCommand,
  backup: backupCommand,
  restore: restoreCommand,
  retention: retentionCommand,
  agreement: () => agreementCommand(),
  import: importCommand,
  codebook: (args) => {
    if (args[0] === 'import') return codebookImportCommand(args.slice(1));
    process.stdout.write(codebookCommand(args));
    return undefined;
  },
  // A zip, written as bytes.
  project: async (args) => {
    process.stdout.write(await projectCommand(args));
    return undefined;
  },
  // Writes its own JSON lines; exits 1 if any input line was refused.
  suggest: async (args) => {
    const refused = await suggestCommand(args);
    if (refused > 0) process.exitCode = 1;
    return undefined;
  },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  console.error(`Usage: npm run --silent cli -- <command>\nCommands: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
try {
  const result = await command(args);
  if (result !== undefined) process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError ? 2 : 1);
}
