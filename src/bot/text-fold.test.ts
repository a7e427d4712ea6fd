import { describe, expect, it } from 'vitest';
import { foldForChecks, foldText } from './text-fold.js';

describe('text as the guardrails read it', () => {
  it.each([
    ['１３８ ００１３ ８０００', '138 0013 8000'],
    ['٤٤٣٩١١ ۴۵۶ १२३', '443911 456 123'],
    ['ｌｉ．ｗｅｉ＠ｅｘａｍｐｌｅ．ｃｎ', 'li.wei@example.cn'],
    ['Your rеfund is approvеd', 'Your refund is approved'],
    ['𝐫𝐞𝐟𝐮𝐧𝐝', 'refund'],
    ['вернём деньги', 'вернём деньги'],
    ['٢٤٫٩٥', '24.95'],
  ])('%s', (input, folded) => expect(foldForChecks(input)).toBe(folded));

  it('maps every folded character back to where it came from', () => {
    const input = 'call １３８００１３８０００ now';
    const { text, offsets } = foldText(input);
    const start = text.indexOf('138');
    expect(input.slice(offsets[start], offsets[start + 11])).toBe('１３８００１３８０００');
  });
});
