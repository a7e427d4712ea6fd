import pino from 'pino';
import type { Logger } from '../core/ports.js';

/**
 * Paths pino censors wherever they appear: message text, secrets and raw payloads must never
 * reach a log line, even when someone logs a whole object by mistake.
 */
const secretKeys = [
  'appSecret',
  'channelSecret',
  'signingSecret',
  'clientSecret',
  'appPassword',
  'botToken',
  'channelAccessToken',
  'sessionSecret',
  'encodingAESKey',
  'verifyToken',
  'secretToken',
  'signingKey',
];

const redactPaths = [
  ...secretKeys.flatMap((k) => [k, `*.${k}`]),
  'text',
  '*.text',
  'parts',
  '*.parts',
  'raw',
  '*.raw',
  'body',
  '*.body',
  'payload',
  '*.payload',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'headers.cookie',
  'req.headers.cookie',
  'accessToken',
  '*.accessToken',
];

/** The root logger: JSON lines on stdout, redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'parley' } }, destination) as unknown as Logger;
}
