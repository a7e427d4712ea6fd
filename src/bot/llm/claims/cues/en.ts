import type { ClaimCues } from './types.js';

/** English. Terms are lower case; a trailing `*` matches any ending ("refund*": refunds, refunded). */
export const en: ClaimCues = {
  refund: ['refund*', 'money back', 'reimburs*', 'pay you back', 'repay*', 'credit your card', 'credited back'],
  returns: ['return*', 'send it back', 'send them back', 'sent back', 'send back', 'exchang*', 'take back', 'taken back', 'swap*'],
  guarantee: ['guarantee*', 'warrant*'],
  discount: ['price match*', 'match the price', 'lower your price', 'lowered your price', 'discount*', '% off', 'percent off', 'coupon*', 'voucher*', 'promo code*', 'promo*', 'deal*', 'reduction*', 'cheaper', 'price cut', 'loyalty', 'special price', 'off your', 'match any price', 'beat any price'],
  free: ['free', 'free of charge', 'at no cost', 'at no extra cost', 'no charge', 'costs nothing', 'complimentary', 'on the house', 'for nothing', 'waive*', "doesn't cost you anything", "won't cost you anything", "doesn't cost anything", 'costs you nothing'],
  shippingCost: ['shipping cost*', 'delivery cost*', 'shipping fee*', 'delivery fee*', 'postage', 'cost*', 'fee*', 'surcharge*', 'charge*', 'price*', 'pay for shipping', 'pay for delivery', 'pay the shipping', 'pay the return shipping'],
  deadline: ['within', 'days', 'day', 'weeks', 'week', 'months', 'month', 'until', 'deadline', 'time limit', 'no time limit', 'any time', 'anytime', 'hours'],
  exception: ['exception*', 'even if', 'even though', 'no questions asked', 'even months', 'even years', 'even after', 'used items', 'opened', 'make an exception', 'special case', 'one-off', 'just this once', 'bend the rules'],
  compensation: ['compensat*', 'make up for', 'goodwill', 'gesture', 'gift card', 'store credit', 'credit note', 'bonus', 'free gift', 'as a gift', 'as a thank you', 'as an apology', 'on us', 'on the house'],
  negation: ['no', 'not', 'never', 'cannot', "can't", 'cant', 'without', 'none', 'neither', 'nor', 'unable', "isn't", "aren't", "don't", "doesn't", "won't", "hasn't", "haven't", "hadn't", "didn't", "wasn't", "weren't", "shouldn't", "couldn't", "wouldn't", "mustn't", 'nothing', 'nobody', 'no longer', 'excluded', 'except'],
  notNegation: ['not opened', 'not been opened', 'not used', 'not been used', 'never used', 'never opened', 'not counting', 'not including'],
  absolute: ['whenever', 'no matter when', 'indefinitely', 'no time limit', 'always', 'every', 'forever', 'permanent*', 'unlimited', 'any time', 'anytime', 'lifetime', 'all orders', 'every order', 'guaranteed', 'no matter', 'all your orders', 'any order', 'no minimum', 'without a minimum', 'whatever the amount', 'regardless of', 'regardless'],
  promise: ['we will', "we'll", 'i will', "i'll", 'you will get', "you'll get", 'you will receive', "you'll receive", 'we promise', 'i promise', 'we guarantee', 'i guarantee', 'you are entitled', "you're entitled", 'you qualify', 'we can offer', 'i can offer', 'we offer you', 'for you'],
  done: ['confirmed', 'approved', 'has been approved', 'have been approved', 'is approved', 'approved your', 'has been issued', 'have issued', "i've issued", "we've issued", 'has been processed', 'already on its way', 'is on its way to your', 'has been refunded', 'have refunded', "we've refunded", "i've refunded", 'has been credited', 'has been applied', "i've applied", "we've applied", 'i have arranged', "i've arranged", 'is already', 'already been', "i've returned the money", "we've returned the money", "i've sent the money back"],
  secrets: ['card number', 'credit card number', 'full card', 'cvc', 'cvv', 'security code', 'card code', 'pin code', 'pin number', 'your pin', 'password', 'passcode', 'login details', 'sms code', 'bank login', 'iban and', 'card expiry date', 'expiry date of your card'],
  codes: ['one-time code', 'verification code', 'otp'],
  insults: ['idiot*', 'stupid', 'moron*', 'dumb', 'shut up', 'loser*', 'pathetic', 'get lost', 'go away', 'fool', 'clown', 'nobody cares', 'not my problem', 'deal with it', 'cry about it', 'brain', 'pest', 'genius', 'dimwit', 'dumbass'],
  persona: ['arrr*', 'matey', 'ahoy', 'ye be', 'me hearty', 'walk the plank', 'pirate', 'as dan', 'dan mode', 'developer mode', 'jailbreak*', 'as an evil', 'evil bot', 'evil assistant', 'roleplay', 'in character', 'my lord', 'thou art', 'i am now'],
};
