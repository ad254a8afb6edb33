import argon2 from 'argon2';
import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { roles, type Role, type SessionUser, type UserDocument, type UserModel } from './user-model.js';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter an email address like name@example.org'))
  .pipe(z.string().max(254));
export const passwordSchema = z.string().min(12, 'Use a password of at least 12 characters').max(200);

export function toSessionUser(user: Pick<UserDocument, '_id' | 'email' | 'role'>): SessionUser {
  return { id: String(user._id), email: user.email, role: user.role };
}

const newAccountSchema = z.object({ email: emailSchema, password: passwordSchema, role: z.enum(roles) });

/** A new account: the email and password rules are checked here, for the admin page and the command line alike. */
export async function createUser(
  users: UserModel,
  input: { email: string; password: string; role: Role },
): Promise<SessionUser> {
  const account = parseBody(newAccountSchema, input);
  if (await users.exists({ email: account.email }))
    throw new BadRequestError(`A user with the email ${account.email} already exists`);
  const passwordHash = await argon2.hash(account.password, { type: argon2.argon2id });
  const user = await users.create({ email: account.email, passwordHash, role: account.role });
  return toSessionUser(user);
}

/** Checks a password; the same work is done for an unknown email so timing does not reveal accounts. */
export async function verifyCredentials(
  users: UserModel,
  email: string,
  password: string,
): Promise<SessionUser | undefined> {
  const user = await users.findOne({ email: email.trim().toLowerCase() }).lean<UserDocument>();
  const hash = user?.passwordHash ?? (await dummyHash());
  const matches = await argon2.verify(hash, password.slice(0, 200)).catch(() => false);
  return user && matches && !user.disabled ? toSessionUser(user) : undefined;
}

let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= argon2.hash('a password nobody has', { type: argon2.argon2id });
  return dummy;
}

/** The account behind a session, read on every back-office request: undefined once disabled or deleted. */
export async function activeUser(users: UserModel, id: string): Promise<SessionUser | undefined> {
  if (!/^[a-f0-9]{24}$/.test(id)) return undefined;
  const user = await users.findById(id, { email: 1, role: 1, disabled: 1 }).lean<UserDocument>();
  return user && !user.disabled ? toSessionUser(user) : undefined;
}

export interface AccountRow {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
}

export async function listAccounts(users: UserModel): Promise<AccountRow[]> {
  const found = await users.find({}, { email: 1, role: 1, disabled: 1 }).lean<UserDocument[]>();
  return found
    .map((user) => ({ id: String(user._id), email: user.email, role: user.role, disabled: Boolean(user.disabled) }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

/** Coder ids (as stored with codings) to the email shown for them. */
export async function coderNames(users: UserModel): Promise<Map<string, string>> {
  return new Map((await listAccounts(users)).map((account) => [account.id, account.email]));
}

const enabledAdmins = (users: UserModel) => users.countDocuments({ role: 'admin', disabled: { $ne: true } });

/**
 * Changes an account's role or disables it. The platform never loses its last enabled admin: the
 * change is refused up front, and undone if a simultaneous change elsewhere left none.
 */
export async function setAccess(
  users: UserModel,
  input: { userId: string; role: Role; disabled: boolean },
): Promise<AccountRow> {
  const user = /^[a-f0-9]{24}$/.test(input.userId) ? await users.findById(input.userId).lean<UserDocument>() : null;
  if (!user) throw new NotFoundError('There is no such account.');
  const before = { role: user.role, disabled: Boolean(user.disabled) };
  const losesAdmin = before.role === 'admin' && !before.disabled && (input.role !== 'admin' || input.disabled);
  const lastAdmin = new BadRequestError(
    `${user.email} is the only enabled admin: make another account an admin first.`,
  );
  if (losesAdmin && (await enabledAdmins(users)) <= 1) throw lastAdmin;
  await users.updateOne({ _id: user._id }, { $set: { role: input.role, disabled: input.disabled } });
  if (losesAdmin && (await enabledAdmins(users)) === 0) {
    await users.updateOne({ _id: user._id }, { $set: before });
    throw lastAdmin;
  }
  return { id: String(user._id), email: user.email, role: input.role, disabled: input.disabled };
}

/** Whether this (lower-cased) email is an account's. */
export async function isAccount(users: UserModel, email: string): Promise<boolean> {
  return email !== '' && (await users.exists({ email })) !== null;
}
