export { DemoMailbox } from './demo-mailbox.js';
export type { Mailer } from './mailer.js';
export { createOtpMailer } from './otp.js';
export { createSmtpMailer } from './smtp.js';
