/**
 * `POST /console/api/login`. Guessing is bounded twice: per client address (in memory,
 * `rateLimits.consoleLogin.perClient`) and per account (in the database, `max`), the account's
 * attempt counted in one statement before the password is checked, so parallel guesses and
 * other instances all see the same count. Over the limit the account refuses every password,
 * the right one too, until its window ends.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../../core/errors.js';
import { unusableHash, verifyPassword } from '../../handoff/passwords.js';
import { normalizeEmail } from '../../handoff/store.js';
import { sendError } from '../http.js';
import { clientKey, throttle } from '../limits.js';
import type { RuleTypes } from '../validation.js';
import type { ConsoleDeps } from './index.js';
import { fits, publicAgent } from './routes.js';
import { csrfFor, type SessionOptions, startSession } from './session.js';

const login = z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(200) });

/** Counts a sign-in attempt on `email`'s account; throws `TOO_MANY_ATTEMPTS` past the limit. */
async function countAttempt(deps: ConsoleDeps, subject: string): Promise<void> {
  const { max, windowMs } = deps.loginLimit;
  if (max === 0) return;
  const now = deps.now();
  const { attempts, resetAt } = await deps.handoffs.countLoginAttempt(subject, windowMs, now);
  if (attempts <= max) return;
  const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
  throw new ParleyError('TOO_MANY_ATTEMPTS', `Too many sign-in attempts for this account. Try again in ${seconds} s.`, { retryAfterMs: seconds * 1000 });
}

export function mountLogin(scope: FastifyInstance, deps: ConsoleDeps, sessions: SessionOptions): void {
  const api = scope.withTypeProvider<RuleTypes>();
  const { perClient, windowMs } = deps.loginLimit;
  const fromClient = throttle(scope, { max: perClient, windowMs }, 'sign-in attempts from this address', clientKey);

  api.post('/login', { onRequest: fromClient, schema: { body: fits(login) } }, async (req, reply) => {
    // One account, however its e-mail is typed: ' Lead@Shop.test' counts and signs in as lead@shop.test.
    const subject = `email:${normalizeEmail(req.body.email)}`;
    await countAttempt(deps, subject);
    const found = await deps.handoffs.credentials(req.body.email);
    const ok = await verifyPassword(req.body.password, found?.passwordHash ?? unusableHash);
    if (!found || !ok || found.agent.disabled) return sendError(reply, 'BAD_CREDENTIALS');
    await deps.handoffs.clearLoginAttempts(subject);
    const secret = await startSession(reply, found.agent, sessions);
    deps.log.info({ agent: found.agent.id }, 'agent signed in');
    return { agent: publicAgent(found.agent), csrfToken: csrfFor(req, reply, secret) };
  });
}
