/**
 * One language's cues for the claim checker: the words that mark what a reply commits the shop
 * to, and what changes their meaning. Lower case; a trailing `*` matches any ending (a stem:
 * "refund*" matches refunds, refunded). CJK and Thai terms match anywhere in a sentence, others
 * at word boundaries; accents are compared as written and without them.
 */
export interface ClaimCues {
  /** Money back: refunds, reimbursements. */
  refund: readonly string[];
  /** Sending goods back: returns, exchanges, "send it back". */
  returns: readonly string[];
  /** Guarantees and warranties: "guaranteed", "we guarantee", "warranty". */
  guarantee: readonly string[];
  /** Price reductions: discounts, coupons, vouchers, "% off". */
  discount: readonly string[];
  /** Free of charge (free shipping, free returns, free items). */
  free: readonly string[];
  /** What something costs: cost, fee, price, surcharge, postage (the sentence says what of). */
  shippingCost: readonly string[];
  /** Time limits and durations: "within 30 days", "until", "no time limit". */
  deadline: readonly string[];
  /** Exceptions to a rule: "even if used", "no questions asked", "just this once". */
  exception: readonly string[];
  /** Compensation and goodwill: vouchers for the trouble, store credit, gifts. */
  compensation: readonly string[];
  /** Negation: "no", "not", "never", "cannot", "without". */
  negation: readonly string[];
  /**
   * Negations that describe an item rather than deny a claim ("unopened", "غير المستخدمة",
   * "не вскрыта", "sin abrir"): removed before a clause's polarity is read.
   */
  notNegation: readonly string[];
  /** Absolutes: "always", "every order", "forever", "permanent", "any time". */
  absolute: readonly string[];
  /** A promise to this shopper: "we will", "you'll get", "we guarantee", "you are entitled". */
  promise: readonly string[];
  /** Something done for this shopper: "has been approved", "is already on its way", "we've refunded". */
  done: readonly string[];
  /** Secrets a shop never asks for: card number, CVC, PIN, password, a code the bank sent. */
  secrets: readonly string[];
  /** One-time and verification codes: asked for only when Parley itself sent one (order help). */
  codes: readonly string[];
  /** Insults and contempt toward the shopper. */
  insults: readonly string[];
  /** Persona switches and jailbreak personas: pirate speak, "as DAN", "developer mode", "I am now". */
  persona: readonly string[];
}

/** What a claim commits the shop to. */
export type ClaimCategory = 'refund' | 'returns' | 'guarantee' | 'discount' | 'free' | 'shippingCost' | 'deadline' | 'exception' | 'compensation';

export const CLAIM_CATEGORIES: readonly ClaimCategory[] = [
  'refund',
  'returns',
  'guarantee',
  'discount',
  'free',
  'shippingCost',
  'deadline',
  'exception',
  'compensation',
];
