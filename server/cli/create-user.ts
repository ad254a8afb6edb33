import { createInterface } from 'node:readline';
import { record } from '../audit/service.js';
import { createUser } from '../auth/service.js';
import { roles, userModel } from '../auth/user-model.js';
import { prepareDatabase } from '../startup.js';
import { withDatabase } from './database.js';
import { commandArgs, UsageError } from './args.js';

const usage =
  'create-user --email <address> --role <analyst|lead|admin> (the password is read from the prompt or stdin)';

/** Reads the password from a prompt (not echoed) or, when piped, from the first line of stdin. Never from argv. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let input = '';
    for await (const chunk of process.stdin) input += String(chunk);
    return input.split(/\r?\n/)[0] ?? '';
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const write = (prompt as unknown as { _writeToOutput: (text: string) => void })._writeToOutput.bind(prompt);
  let asked = false;
  (prompt as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) =>
    asked ? undefined : write(text);
  return new Promise((resolve) => {
    prompt.question('Password: ', (answer) => {
      prompt.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    asked = true;
  });
}

/** `npm run cli -- create-user --email a@b.org --role admin`, password on stdin. */
export async function createUserCommand(args: string[]) {
  if (args.includes('--password'))
    throw new Error(
      'Do not pass the password as an argument: it would be kept in shell history. Type it at the prompt or pipe it on stdin.',
    );
  const options = commandArgs(args, { email: { type: 'string' }, role: { type: 'string' } }, usage);
  if (!options.email) throw new UsageError(`--email is required. Usage: ${usage}`);
  const role = roles.find((candidate) => candidate === options.role);
  if (!role) throw new UsageError(`--role must be one of: ${roles.join(', ')}`);
  const password = await readPassword();
  return withDatabase(async (connection) => {
    await prepareDatabase(connection);
    const user = await createUser(userModel(connection), { email: options.email!, role, password });
    await record(connection, {
      actor: 'command line',
      action: 'user.created',
      target: user.email,
      detail: { role: user.role },
    });
    return { created: user.email, role: user.role };
  });
}
