// npm run user:create -- --email a@b.nl --name "Name" --role admin [--team "Team"] [--locale nl|nl-BE|en]
// The password is read from standard input (prompted without echo on a terminal), never from
// the command line, where it would end up in shell history and the process list.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { loadConfigOrExit } from '../src/config';
import { openDatabase } from '../src/db/database';
import { ROLES } from '../src/db/schema';
import { translatorFor } from '../src/messages';
import { createUser, passwordRefusal, PasswordRefusedError, UserInputError } from '../src/users/service';

const Arguments = z.object({
  email: z.string({ required_error: '--email is required' }).trim().email('--email must be an email address'),
  name: z
    .string({ required_error: '--name is required' })
    .trim()
    .min(1, '--name is required')
    .max(100, '--name is at most 100 characters'),
  role: z.enum(ROLES as [string, ...string[]], { message: `--role must be one of ${ROLES.join(', ')}` }),
  team: z.string().trim().min(1).max(100).optional(),
  // Without --locale the person has no choice of their own: their team's default, else DEFAULT_LOCALE.
  locale: z.enum(['nl', 'nl-BE', 'en'], { message: '--locale must be nl, nl-BE or en' }).optional(),
});

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write('Password: ');
  muted._writeToOutput = () => undefined;
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      team: { type: 'string' },
      locale: { type: 'string' },
    },
  });
  const parsed = Arguments.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(issue.path.length ? `--${issue.path[0]}: ${issue.message}` : issue.message);
    console.error(
      'usage: npm run user:create -- --email EMAIL --name NAME --role coach|manager|admin [--team TEAM] [--locale nl|nl-BE|en] < password',
    );
    process.exit(2);
  }
  const password = await readPassword();
  // The same rule as the set-password page and /account, said in English before anything is opened.
  const refusal = await passwordRefusal(password, { displayName: parsed.data.name, email: parsed.data.email });
  if (refusal) {
    console.error(`The password is refused: ${translatorFor('en')(refusal)}`);
    process.exit(2);
  }
  const config = loadConfigOrExit();
  const database = await openDatabase(config);
  try {
    const input = parsed.data;
    const id = await createUser(
      database.db,
      {
        email: input.email,
        displayName: input.name,
        role: input.role as (typeof ROLES)[number],
        teamName: input.team ?? null,
        password,
        locale: input.locale,
      },
      null,
    );
    console.log(`Created ${input.role} ${input.email.toLowerCase()} (id ${id}).`);
  } catch (error) {
    if (error instanceof PasswordRefusedError) {
      console.error(`The password is refused: ${translatorFor('en')(error.refusal)}`);
      process.exitCode = 1;
      return;
    }
    if (error instanceof UserInputError) {
      console.error(`Refused: ${error.message}.`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error('Creating the user failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
