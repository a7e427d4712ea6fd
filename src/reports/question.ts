/**
 * How an unsure answer's question is kept for the "unanswered" report: personal data masked
 * (the report is read by people who never saw the conversation), and a normalised form the
 * same question asked again is grouped under.
 */
import { findPii } from '../bot/pii/index.js';

const MAX_EXAMPLE = 500;
const MAX_QUESTION = 300;

function masked(text: string): string {
  let out = '';
  let at = 0;
  for (const span of findPii(text)) {
    out += `${text.slice(at, span.start)}[${span.kind.toLowerCase()}]`;
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * The question's group (case, width, punctuation and spacing folded) and its example.
 *
 * @example
 * ```ts
 * unsureQuestion('Do you ship to Mars??', 'Do you ship to  mars?'); // { question: 'do you ship to mars', example: 'Do you ship to Mars??' }
 * ```
 */
export function unsureQuestion(asked: string, working: string): { question: string; example: string } {
  const question = masked(working || asked)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_QUESTION);
  return { question, example: masked(asked).trim().slice(0, MAX_EXAMPLE) };
}
