/**
 * How shoppers word things loosely, by primary language subtag. Data only: ./analyze.ts folds
 * and stems these entries the same way it treats the knowledge base, so write them as a
 * person would. Example questions in the knowledge base (`? ` lines) do most of this work for
 * a shop's own topics; these are the general shop words.
 *
 * - `PHRASES` rewrites multi-word expressions to one term, on both the knowledge base and
 *   the question, so "money back" and "refund" become the same thing.
 * - `SYNONYMS` expands a question term to its group at query time. Expansions score lower
 *   than the shopper's own words, so an exact match still wins.
 */
export const PHRASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  en: {
    'money back': 'refund',
    'send back': 'return',
    'send it back': 'return',
    'send stuff back': 'return',
    'send something back': 'return',
    'send them back': 'return',
    'ship it back': 'return',
    'pay later': 'klarna',
    'pay-later': 'klarna',
    'bring back': 'return',
    'how much': 'cost',
    'united states': 'usa',
    'the us': 'usa',
    'the states': 'usa',
    'united kingdom': 'uk',
    'great britain': 'uk',
    'opt out': 'unsubscribe',
    'credit card': 'card',
    'debit card': 'card',
    'fish tank': 'aquarium',
    'gift card': 'voucher',
    'real person': 'person',
    'customer service': 'support',
    'customer support': 'support',
    'time zone': 'timezone',
    'reach you': 'contact',
    'reach us': 'contact',
  },
};

export const SYNONYMS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  en: [
    ['shipping', 'delivery', 'deliver', 'dispatch', 'postage', 'shipment', 'post'],
    ['return', 'refund', 'reimburse'],
    ['pay', 'payment', 'paid'],
    ['cost', 'price', 'fee', 'charge'],
    ['carbon', 'charcoal'],
    ['track', 'trace', 'tracking'],
    ['parcel', 'package'],
    ['cancel', 'cancellation'],
    ['late', 'delay', 'lost', 'missing'],
    ['damaged', 'broken', 'faulty', 'defective', 'cracked'],
    ['email', 'mail'],
    ['phone', 'call', 'telephone', 'ring'],
    ['talk', 'speak', 'chat'],
    ['wash', 'clean', 'laundry'],
    ['bed', 'cushion'],
    ['food', 'kibble'],
    ['aquarium', 'tank'],
    ['voucher', 'coupon', 'discount', 'promo'],
    ['delete', 'erase', 'remove'],
    ['exchange', 'swap'],
    ['person', 'human', 'agent', 'someone'],
    ['germany', 'german', 'deutschland'],
    ['netherlands', 'holland', 'dutch', 'nederland'],
    ['uk', 'britain', 'england', 'scotland', 'wales'],
    ['usa', 'america'],
    ['address', 'location', 'located'],
    ['safe', 'secure', 'protect'],
  ],
  zh: [
    ['退货', '退款', '退换'],
    ['运费', '邮费', '配送费'],
    ['发货', '配送', '快递', '寄送', '送货', '寄到', '寄往'],
    ['付款', '支付', '付钱'],
    ['人工', '客服', '真人'],
  ],
};
