/** Who the shop and the channel vouch a shopper is: what order details may be shown without a code. */
import type { VerifiedIdentity } from '../../adapters/webchat/index.js';
import type { Care } from '../care/index.js';
import type { ChannelAdapter } from '../core/adapter.js';
import type { ShopperContext } from '../core/answerer.js';
import { isParleyError } from '../core/errors.js';
import type { Conversation } from '../core/store.js';

/**
 * The contacts verified for a conversation's shopper: those the shop confirmed (the signed web
 * chat identity, `PUT /api/v1/shoppers/{ref}` with `emailVerified`/`phoneVerified`) and the phone
 * number a channel proves (WhatsApp: the sender is the number). Never anything the shopper typed.
 */
export async function verifiedShopper(
  conv: Conversation,
  care: Pick<Care, 'verifiedContact'>,
  adapter: ChannelAdapter | undefined,
): Promise<ShopperContext | undefined> {
  const contact = await care.verifiedContact(conv.shopperId);
  const digits = adapter?.capabilities.verifiedPhone ? conv.ref.userId.replace(/@.*$/, '').replace(/\D/g, '') : '';
  const phone = digits.length >= 7 ? `+${digits}` : contact.phone && `+${contact.phone.replace(/\D/g, '')}`;
  const shopper: ShopperContext = { ...(contact.email ? { email: contact.email } : {}), ...(phone ? { phone } : {}) };
  return shopper.email || shopper.phone ? shopper : undefined;
}

/**
 * Links a web-chat session to the customer the shop's server signed for: the session's
 * conversations join that customer (earlier anonymous ones move over), and the signed email is
 * the customer's verified email. `taken` when the session already belongs to another customer.
 */
export async function linkWebchatIdentity(care: Care, channelId: string, sessionId: string, identity: VerifiedIdentity): Promise<'linked' | 'taken'> {
  try {
    await care.operators.linkIdentities(identity.userId, [{ channelId, platformUserId: sessionId }]);
  } catch (err) {
    if (isParleyError(err, 'IDENTITY_TAKEN')) return 'taken';
    throw err;
  }
  if (identity.email) await care.operators.updateProfile(identity.userId, { email: identity.email, emailVerified: true });
  return 'linked';
}
