export { DemoMailbox, type DemoMail } from './demo-mailbox.js';
export type { Mail, Mailer } from './mailer.js';
export { createOtpMailer, type OtpMailDeps } from './otp.js';
export { createSmtpMailer, type SmtpSettings } from './smtp.js';
