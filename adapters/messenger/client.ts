import { DeliveryError } from '../../src/core/errors.js';
import { type GraphApi, type GraphRules, postGraph } from '../meta/graph.js';
import type { SendPayload } from './wire.js';

/**
 * Graph error codes of the Send API and what the outbox should do with them.
 * https://developers.facebook.com/docs/messenger-platform/error-codes
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */
export function sendRules(authHint: string): GraphRules {
  return {
    '10:2018278': {
      reason: 'invalid',
      advice:
        "Outside the messaging window: free-form messages only within 24 hours of the shopper's last message, a person's reply (HUMAN_AGENT tag) within 7 days. Wait for the shopper to write.",
    },
    10: {
      reason: 'blocked',
      advice: 'Meta does not allow this message (permission or policy): the shopper may have blocked the account, or the app lacks the permission.',
    },
    551: { reason: 'blocked', advice: 'This person is not available right now (blocked the account or left).' },
    200: { reason: 'blocked', advice: 'Permission denied: the shopper cannot be messaged by this app, or the token lacks the messaging permission.' },
    '100:2018001': { reason: 'blocked', advice: 'No matching user: the id belongs to another Page or account.' },
    100: { reason: 'invalid', advice: 'Graph refused a parameter of the message.' },
    190: { reason: 'auth', advice: `The access token is invalid or expired. ${authHint}` },
    4: { reason: 'rate_limited', advice: 'App call limit reached. Retrying later.', waitMs: 60_000 },
    17: { reason: 'rate_limited', advice: 'User call limit reached. Retrying later.', waitMs: 60_000 },
    32: { reason: 'rate_limited', advice: 'Page call limit reached. Retrying later.', waitMs: 60_000 },
    613: { reason: 'rate_limited', advice: 'Call rate limit reached. Retrying later.', waitMs: 60_000 },
    2: { reason: 'transient', advice: 'Temporary Graph API error. Retrying.' },
    1200: { reason: 'transient', advice: 'Temporary error sending the message. Retrying.' },
  };
}

/**
 * Sends one Send API body from the Page or Instagram account `accountId`; resolves to the new
 * message's `mid`. Throws a {@link DeliveryError} with the reason {@link sendRules} gives.
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api
 *
 * @example
 * ```ts
 * const mid = await sendMessage(api, '1234567890', { ...payload, recipient: { id: psid } }, rules);
 * ```
 */
export async function sendMessage(api: GraphApi, accountId: string, payload: SendPayload, rules: GraphRules): Promise<string> {
  const label = `${api.product} send`;
  const body = await postGraph<{ message_id?: unknown } | undefined>(api, `${encodeURIComponent(accountId)}/messages`, payload, label, rules);
  const id = body?.message_id;
  // Why not retryable: a 200 means Meta accepted the message; sending again would duplicate it.
  if (typeof id !== 'string' || !id) throw new DeliveryError('invalid', `${label} answered 200 without a message id; not retried to avoid a duplicate.`);
  return id;
}
