import { Router } from 'express';
import { z } from 'zod';
import type { Audit } from '../audit/service.js';
import { AppError, ValidationError } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { csrfProtection } from './csrf.js';
import type { PassportInstance } from './passport.js';
import type { SessionUser } from './roles.js';
import { TooManyAttemptsError, type LoginThrottle } from './throttle.js';

const loginForm = z.object({
  email: z.string({ error: 'Enter your email address and password.' }).max(300).default(''),
  password: z.string({ error: 'Enter your email address and password.' }).max(1000).default(''),
  next: z.string().max(500).optional(),
});

/** Only same-site paths, so the login form cannot be used to send people elsewhere. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/work';
}

/** Signing in and out: the only back-office forms anyone may post. */
export function authRoutes(
  passport: PassportInstance,
  throttle: LoginThrottle,
  audit: Audit,
  /** Whether an email is an account's: a lock-out names only those. */
  isAccount: (email: string) => Promise<boolean>,
): Router {
  const router = Router({ caseSensitive: true });

  router.get('/login', csrfProtection, (request, response) => {
    const { query } = validate(request, { query: z.object({ next: z.string().max(500).optional() }) });
    response.render('office/login', { next: safeNext(query.next), email: '', error: undefined });
  });

  router.post('/login', csrfProtection, async (request, response, next) => {
    let form: z.infer<typeof loginForm>;
    try {
      form = validate(request, { body: loginForm }).body;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The sign-in page again, with the problem: through the error handler like every refusal.
      throw new ValidationError(error.issues.slice(0, 1), {
        view: 'office/login',
        locals: { next: '/work', email: '', error: error.issues[0]?.message },
      });
    }
    const { email, password, next: after } = form;
    // Passport reads the body: give it only the checked strings.
    request.body = { email, password };
    // The attempt is counted before the password is checked, so parallel guesses share one allowance.
    const account = email.trim().toLowerCase().slice(0, 254);
    let claim: Awaited<ReturnType<LoginThrottle['claim']>>;
    try {
      claim = await throttle.claim([`email:${account}`, `ip:${request.ip}`]);
    } catch (error) {
      // A lock-out is recorded against the account tried (never the password, nor the address).
      // Whatever was typed is named only if it is an account's email: anything else (a password
      // typed in the email box, say) must not reach the trail.
      if (error instanceof TooManyAttemptsError) {
        const known = await isAccount(account);
        const actor = known ? account : 'unknown address';
        await audit({ actor, action: 'sign-in.locked', target: known ? account : '' });
      }
      throw error;
    }
    passport.authenticate('local', (error: unknown, user: SessionUser | false) => {
      if (error) return next(error);
      if (!user) {
        const locals = { next: safeNext(after), email, error: 'The email or password is not right.' };
        return next(new AppError(401, locals.error, 'error.signIn.title', { view: 'office/login', locals }));
      }
      // Passport regenerates the session id here, so a session fixed before login is useless.
      request.login(user, (loginError) => {
        if (loginError) return next(loginError);
        Promise.all([
          throttle.succeeded(claim),
          audit({ actor: user.email, action: 'sign-in', target: user.email }),
        ]).then(() => response.redirect(303, safeNext(after)), next);
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

  return router;
}
