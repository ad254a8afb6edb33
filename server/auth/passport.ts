import type { Connection } from 'mongoose';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { SessionUser } from './roles.js';
import { activeUser, verifyCredentials } from './service.js';
import { userModel } from './user-model.js';

export type PassportInstance = InstanceType<typeof Passport>;

export function configurePassport(connection: Connection): PassportInstance {
  const users = userModel(connection);
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      verifyCredentials(users, email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  passport.serializeUser((user, done) => done(null, { id: (user as SessionUser).id }));
  // The account is read on every request (one look-up by _id), so disabling it or changing its
  // role takes effect at once rather than when the session ends.
  passport.deserializeUser((stored: unknown, done) => {
    const id =
      stored && typeof stored === 'object' && 'id' in stored && typeof stored.id === 'string' ? stored.id : undefined;
    if (!id) return done(null, false);
    activeUser(users, id).then((user) => done(null, user ?? false), done);
  });
  return passport;
}
