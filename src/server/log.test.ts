import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from './log.js';

it('never writes message text, tokens, secrets or raw payloads to the log', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('info', sink).child({ channel: 'telegram' });
  log.info(
    {
      text: 'my card is 4111 1111 1111 1111',
      token: '123:SECRET',
      event: { raw: { text: 'hello' }, parts: [{ text: 'hi' }] },
      headers: { authorization: 'Bearer abc' },
    },
    'turn',
  );
  log.error(
    { body: 'payload with email a@b.example', secret: 's3cret', channelSecret: 'chan-secret-value', config: { appPassword: 'pw-value' }, apiKey: 'k' },
    'oops',
  );
  const out = lines.join('');
  for (const leaked of ['4111', 'SECRET', 'hello', '"hi"', 'Bearer abc', 'a@b.example', 's3cret', '"k"', 'chan-secret-value', 'pw-value'])
    expect(out).not.toContain(leaked);
  expect(out).toContain('"channel":"telegram"');
  expect(out).toContain('[redacted]');
});
