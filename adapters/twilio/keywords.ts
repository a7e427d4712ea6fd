/**
 * Twilio's default opt-out keywords. On a number with Twilio's default handling or Advanced
 * Opt-Out, Twilio itself answers them and then refuses to send to the number (error 21610)
 * until it texts an opt-in keyword. A keyword counts only as the whole message (trimmed,
 * any case), as Twilio matches it.
 * https://help.twilio.com/articles/223134027-Twilio-support-for-opt-out-keywords-SMS-STOP-filtering-
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

/** What an SMS keyword asks for. */
export type SmsKeyword = 'opt_out' | 'opt_in' | 'help';

/**
 * The keyword a whole message is, if any.
 *
 * @example
 * ```ts
 * smsKeyword(' stop '); // 'opt_out'
 * smsKeyword('Start');  // 'opt_in'
 * smsKeyword('stop sending me the wrong size'); // undefined
 * ```
 */
export function smsKeyword(body: string): SmsKeyword | undefined {
  const word = body.trim().toUpperCase();
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  if (HELP.has(word)) return 'help';
  return undefined;
}
