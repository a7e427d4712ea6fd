/** The Console API over fetch: session cookie, CSRF header on writes, errors with the server's message. */

import { state } from './state.js';

export const API = '/console/api';

/** A failed call: `status` and the server's error `code` beside its message. */
export interface ApiError extends Error {
  status?: number;
  code?: string;
}

let onSignedOut: () => void = () => undefined;

/** What to do when the session has ended (401): the console shows the sign-in form. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

// The callers know each endpoint's shape (types.ts); the body is the server's JSON as is.
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(API + path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { 'x-csrf-token': state.csrf } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const data = (await res.json().catch(() => ({}))) as { message?: string; error?: string };
  if (res.status === 401 && path !== '/login') {
    state.agent = null;
    onSignedOut();
  }
  if (!res.ok) throw Object.assign(new Error(data.message || res.statusText), { status: res.status, code: data.error }) as ApiError;
  return data as T;
}

/** The message of something thrown, for a toast. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
