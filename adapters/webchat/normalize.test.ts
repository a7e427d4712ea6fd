import { describe, expect, it } from 'vitest';
import { frameToEvent, parseFrame } from './normalize.js';

const session = { sid: 's-1', iat: 0, exp: 1 };

describe('web chat frames', () => {
  it('keeps the clientId of a message and of a button press as the platform message id', () => {
    const message = frameToEvent(parseFrame('{"type":"message","clientId":"c-1","text":"hi"}', 1000), session, 'webchat', 5);
    const press = frameToEvent(
      parseFrame('{"type":"postback","clientId":"c-2","payload":"handoff.request","label":"Talk to a person"}', 1000),
      session,
      'webchat',
      5,
    );
    expect(message).toMatchObject({ type: 'message', eventId: 's-1:c-1', messageId: 'c-1' });
    expect(press).toMatchObject({ type: 'postback', eventId: 's-1:c-2', messageId: 'c-2', payload: 'handoff.request', label: 'Talk to a person' });
  });
});
