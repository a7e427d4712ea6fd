import { deliverCare } from './deliver.js';
import { ParleyError } from '../core/errors.js';
import type { CareDeps } from './deps.js';
import { isTimeZone } from './format.js';
import { summarize } from './service.js';
import { phoneDigits } from './timezone.js';
import type { CareLogEntry, CareProfile } from './types.js';

/** Delivery statuses an operator may resend from. */
const RESENDABLE = new Set(['held', 'undeliverable', 'skipped']);

/** Whether a log entry ended without reaching the shopper. */
function failed(entry: CareLogEntry): boolean {
  return RESENDABLE.has(entry.status) || entry.delivery?.status === 'failed';
}

/** Operators' and shop-backend's management of shoppers and the care log. */
export function createCareOperators(deps: CareDeps) {
  const { care, clock } = deps;

  /** `PUT /api/v1/shoppers/{ref}/identities`. */
  async function linkIdentities(ref: string, identities: { channelId: string; platformUserId: string }[]) {
    const unknown = identities.filter((i) => !deps.channel(i.channelId)).map((i) => i.channelId);
    if (unknown.length) {
      // 422, not the registry's 404: the request names the channel in its body, not its path.
      const message = `No channel ${unknown.map((c) => `"${c}"`).join(', ')} is configured. Known channels: ${deps.channelIds().join(', ')}.`;
      throw new ParleyError('UNKNOWN_CHANNEL', message, { statusCode: 422 });
    }
    const { shopper, conflicts } = await care.linkCustomer(ref, identities, clock.now());
    if (conflicts.length) {
      throw new ParleyError('IDENTITY_TAKEN', `These identities belong to another customer: ${conflicts.join(', ')}.`);
    }
    return { customerRef: ref, shopperId: shopper.id, identities: await care.identitiesOf(shopper.id) };
  }

  /** `PUT /api/v1/shoppers/{ref}`: contact data, language, zone, preferred channel, consent. */
  async function updateProfile(ref: string, patch: Partial<Omit<CareProfile, 'shopperId' | 'optedOutAt'>>) {
    const shopper = (await care.shopperByRef(ref)) ?? (await care.linkCustomer(ref, [], clock.now())).shopper;
    if (patch.timezone && !isTimeZone(patch.timezone))
      throw new ParleyError('INVALID_PROFILE', `timezone: "${patch.timezone}" is not an IANA time zone such as Europe/Madrid.`);
    if (patch.preferredChannel && !deps.channel(patch.preferredChannel))
      throw new ParleyError('INVALID_PROFILE', `preferredChannel: no channel "${patch.preferredChannel}" is configured.`);
    const phone = patch.phone === undefined ? undefined : phoneDigits(patch.phone);
    if (patch.phone !== undefined && !phone)
      throw new ParleyError('INVALID_PROFILE', `phone: "${patch.phone}" is not an international phone number such as +34 600 111 222.`);
    const consent = patch.marketingOptIn ? { optedOutAt: null } : {};
    const profile = await care.patchProfile(shopper.id, { ...patch, ...(phone ? { phone } : {}), ...consent }, clock.now());
    return { customerRef: ref, shopperId: shopper.id, profile };
  }

  /** `GET /api/v1/care/messages`. */
  async function log(options: { status?: string; limit: number; before?: number }) {
    const entries = await care.listLog(options);
    return entries.map((e) => ({ ...e, failed: failed(e) }));
  }

  /** `POST /api/v1/care/messages/:id/resend`: a new attempt (new message id), consent checked again. */
  async function resend(id: string) {
    const entry = await care.getMessage(id);
    if (!entry) throw new ParleyError('NOT_FOUND', `No care message "${id}".`);
    if (!failed(entry as CareLogEntry)) {
      throw new ParleyError(
        'NOT_FAILED',
        `Care message "${id}" is ${(entry as CareLogEntry).delivery?.status ?? entry.status}; only failed, held, undeliverable or skipped messages can be resent.`,
      );
    }
    await care.updateMessage(id, { status: 'scheduled', reason: undefined, attempts: entry.attempts + 1 }, clock.now());
    const after = await deliverCare(deps, id);
    return { message: summarize(after ?? entry) };
  }

  return { linkIdentities, updateProfile, log, resend };
}
