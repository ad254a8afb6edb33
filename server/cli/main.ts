import { readEnvironment } from '../config.js';
import { createUserCommand } from '../auth/cli.js';
import { listSurveys } from '../surveys/cli.js';

const commands: Record<string, (args: string[]) => Promise<unknown> | unknown> = {
  surveys: () => listSurveys(readEnvironment().SURVEYS_DIR, new Date()),
  'create-user': createUserCommand,
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
  process.exit(1);
}
