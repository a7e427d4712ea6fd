/**
 * Agents' attachments: `POST /console/api/media` stores a photo or file an agent picked (checked
 * like a shopper's: size per kind, type by its bytes), and a reply naming stored ids carries them
 * as media parts with a signed public link the platform fetches (docs/media.md, "Agents sending
 * media"). The degrade ladder turns them into links where a channel cannot show them.
 */
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../../core/errors.js';
import type { Part } from '../../core/message.js';
import type { MediaSettings } from '../../media/config.js';
import type { MediaStore } from '../../media/port.js';
import type { Store } from '../../core/store.js';
import { sendError } from '../http.js';
import { checkUpload, kindOf, rememberUpload } from '../media.js';
import type { MediaLinks } from '../media-links.js';

/** What the console needs to take and send agents' media. */
export interface ConsoleMediaDeps {
  store: MediaStore;
  settings: MediaSettings;
  links: MediaLinks;
}

/** Where an upload is remembered until a reply carries it (unsent ones are swept after a day). */
interface UploadState {
  kv: Pick<Store, 'kvSet'>;
  now(): number;
}

/**
 * `POST /media` in the console's API scope (session and CSRF as every console write): the file
 * as the raw body, answered `{ id, kind, mimeType, size, name }`; 413/415 with the reason.
 */
export function mountConsoleUpload(api: FastifyInstance, deps: ConsoleMediaDeps, state: UploadState): void {
  const { settings } = deps;
  api.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: Math.max(...Object.values(settings.maxBytes)) }, (_req, body, done) => done(null, body));
    scope.post('/media', async (req, reply) => {
      const upload = checkUpload(req, settings);
      if (!upload.ok) return sendError(reply, upload.code, upload.message);
      const { body, type, kind, name } = upload;
      const stored = await deps.store.put(body, { mimeType: type, ...(name ? { name } : {}) });
      await rememberUpload(state.kv, stored.id, state.now());
      return { id: stored.id, kind, mimeType: type, size: stored.size, ...(name ? { name } : {}) };
    });
  });
}

/** The parts an agent's reply carries for the stored ids it names; an unknown id is a 400. */
export async function attachmentParts(deps: ConsoleMediaDeps | undefined, media: readonly { id: string; name?: string | undefined }[]): Promise<Part[]> {
  if (media.length === 0) return [];
  if (!deps) throw new ParleyError('BAD_REQUEST', 'This gateway keeps no media: attachments cannot be sent.');
  return Promise.all(
    media.map(async ({ id, name }): Promise<Part> => {
      const found = await deps.store.get(id);
      if (!found) throw new ParleyError('BAD_REQUEST', `No stored media "${id}": upload it first (POST /console/api/media).`);
      const kind = kindOf(found.media.mimeType);
      const shown = name ?? found.name;
      const base = { url: deps.links.url(id), mimeType: found.media.mimeType, stored: found.media };
      return kind === 'audio' ? { kind, ...base } : { kind, ...base, ...(shown ? { name: shown } : {}) };
    }),
  );
}
