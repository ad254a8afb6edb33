import { Router } from 'express';
import type { Connection } from 'mongoose';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { z } from 'zod';
import { csrfProtection } from './csrf.js';
import { activeUser, verifyCredentials } from './service.js';
import { LoginThrottle, type ThrottleSettings } from './throttle.js';
import { userModel, type SessionUser } from './user-model.js';

type PassportInstance = InstanceType<typeof Passport>;

const sessionUserSchema = z.object({ id: z.string() });

const loginForm = z.object({
  email: z.string().max(300).default(''),
  password: z.string().max(1000).default(''),
  next: z.string().max(500).optional(),
});

/** Only same-site paths, so the login form cannot be used to send people elsewhere. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/work';
}

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
    const parsed = sessionUserSchema.safeParse(stored);
    if (!parsed.success) return done(null, false);
    activeUser(users, parsed.data.id).then((user) => done(null, user ?? false), done);
  });
  return passport;
}

export function authRoutes(connection: Connection, passport: PassportInstance, throttleSettings?: ThrottleSettings): { router: Router; throttle: LoginThrottle } {
  const router = Router({ caseSensitive: true });
  const throttle = new LoginThrottle(connection, throttleSettings);

  router.get('/login', csrfProtection, (request, response) => {
    response.render('office/login', { next: safeNext(String(request.query.next ?? '')), email: '', error: undefined });
  });

  router.post('/login', csrfProtection, async (request, response, next) => {
    const form = loginForm.safeParse(request.body);
    if (!form.success) {
      response.status(400).render('office/login', { next: '/work', email: '', error: 'Enter your email address and password.' });
      return;
    }
    const { email, password, next: after } = form.data;
    // Passport reads the body: give it only the checked strings.
    request.body = { email, password };
    // The attempt is counted before the password is checked, so parallel guesses share one allowance.
    const claim = await throttle.claim([`email:${email.trim().toLowerCase()}`, `ip:${request.ip}`]);
    passport.authenticate('local', (error: unknown, user: SessionUser | false) => {
      if (error) return next(error);
      if (!user) {
        response.status(401).render('office/login', { next: safeNext(after), email, error: 'The email or password is not right.' });
        return;
      }
      // Passport regenerates the session id here, so a session fixed before login is useless.
      request.login(user, (loginError) => {
        if (loginError) return next(loginError);
        throttle.succeeded(claim).then(() => response.redirect(303, safeNext(after)), next);
      });
    })(request, response, next);
  });

  router.post('/logout', csrfProtection, (request, response, next) => {
    request.logout((error) => {
      if (error) return next(error);
      request.session.destroy(() => {
        response.clearCookie('sid');
        response.redirect(303, '/login');
      });
    });
  });

  return { router, throttle };
}
