/** Flagging's routes for one interface: `POST api/flag` stores a record in its FlagStore; `GET api/flags` and its files read them back behind the token. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { VitrineError } from '../errors.ts';
import type { NamedComponent, VitrineInterface } from '../interface.ts';
import { FlagPageQuerySchema, flagBodySchema, flagNaming, type FlagBody } from './flag-schemas.ts';
import { FlagStore, flagFilePath, newFlagId, type PendingFile } from './flag-store.ts';
import { FLAG_LIMITS } from './limits.ts';
import { hasBearer, unauthorized } from './security.ts';
import { parseWire } from './wire-reader.ts';

export { FlagStore, type PendingFile } from './flag-store.ts';
export type { FlagFile, FlagRecord } from './flag-schemas.ts';

/** Where flags go and how much may pile up; `buildApp({ flagging })` takes these. */
export interface FlaggingOptions {
  /** Dataset folder; each mounted interface gets its own subfolder. Default `VITRINE_FLAG_DIR`, else `flagged`. */
  dir?: string;
  /** Most records per interface (default 10 000); one more answers 507. */
  maxRecords?: number;
  /** Most bytes on disk per interface, index and files (default 1 GiB); more answers 507. */
  maxBytes?: number;
  /** Longest reason, in characters (default 1 000). */
  maxReasonLength?: number;
}

/** The defaults of {@link FlaggingOptions}. */
export const FLAG_DEFAULTS = Object.freeze({
  dir: 'flagged',
  maxRecords: FLAG_LIMITS.maxRecords,
  maxBytes: FLAG_LIMITS.maxBytes,
  maxReasonLength: FLAG_LIMITS.maxReasonLength,
});

/**
 * The folder of one mounted interface inside the dataset folder: `root` for `/`, else the prefix
 * with its slashes turned into `--`.
 *
 * @example
 * flagFolderFor('/image-effects'); // 'image-effects'
 */
export function flagFolderFor(prefix: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return p === '' ? 'root' : p.replace(/\//g, '--');
}

/** Options of the flagging plugin for one mounted interface. */
export interface FlagMountOptions {
  interface: VitrineInterface;
  /** This interface's own folder (see `flagFolderFor`). */
  dir: string;
  maxRecords?: number | undefined;
  maxBytes?: number | undefined;
  maxReasonLength?: number | undefined;
  /** The bearer token that `GET api/flags` requires; without one the listing is refused. */
  token: string | undefined;
}

/**
 * Mounts `POST api/flag`, `GET api/flags` and `GET api/flags/files/:name` for one interface.
 *
 * `POST api/flag` takes JSON `{ "inputs": { <input name>: wire, … }, "outputs"?: { <output name>:
 * wire, … }, "reason"?: "…", "requestId"?: "…" }` (flag-schemas.ts), validates it against the
 * components and answers `{ "id": "…" }` once the record is on disk.
 *
 * @example
 * await app.register(flaggingPlugin, { prefix: '/image-effects', interface: effects, dir: 'flagged/image-effects', token });
 */
export const flaggingPlugin: FastifyPluginAsync<FlagMountOptions> = async function flagging(app, opts) {
  const iface = opts.interface;
  const bodySchema = flagBodySchema(iface, opts.maxReasonLength ?? FLAG_DEFAULTS.maxReasonLength);
  const naming = flagNaming(iface);
  const store = await FlagStore.open(opts.dir, { maxRecords: opts.maxRecords, maxBytes: opts.maxBytes }, (m) => app.log.warn(m));
  app.addHook('onClose', () => store.close());
  if (store.count > 0) app.log.info({ dir: store.dir, records: store.count }, 'flag store opened');

  app.post('/api/flag', async (req) => {
    const body: FlagBody = parseWire(bodySchema, req.body, naming);
    const id = newFlagId();
    const files: PendingFile[] = [];
    const inputs = withoutFiles(id, body.inputs, iface.inputs, 'input', files);
    const outputs = withoutFiles(id, body.outputs ?? {}, iface.outputs, 'output', files);
    const rec = await store.add({ id, inputs, outputs, reason: body.reason ?? null, requestId: body.requestId ?? null }, files);
    req.log.info({ flag: rec.id }, 'flag stored');
    return { id: rec.id };
  });

  app.get('/api/flags', async (req) => {
    guard(req, opts.token);
    const q = FlagPageQuerySchema.safeParse(req.query ?? {});
    if (!q.success) {
      const issue = q.error.issues[0]!;
      throw new VitrineError('INVALID_INPUT', {
        field: String(issue.path[0] ?? 'offset'),
        reason: `${issue.message} (offset ≥ 0, 1 ≤ limit ≤ ${FLAG_LIMITS.maxPageSize})`,
      });
    }
    const { total, items } = await store.list(q.data.offset, q.data.limit);
    return { total, offset: q.data.offset, limit: q.data.limit, items };
  });
  app.get<{ Params: { name: string } }>('/api/flags/files/:name', async (req, reply) => {
    guard(req, opts.token);
    const file = await store.readFile(req.params.name);
    if (!file) throw new VitrineError('NOT_FOUND', { method: 'GET', url: `api/flags/files/${req.params.name.slice(0, 100)}` });
    // Served as a download: a stored upload is never rendered in this origin.
    reply.type(file.type).header('content-disposition', `attachment; filename="${req.params.name}"`);
    return file.bytes;
  });
};

function guard(req: FastifyRequest, token: string | undefined): void {
  if (token === undefined) throw new VitrineError('FORBIDDEN', { reason: 'reading flags needs a bearer token; start the server with VITRINE_TOKEN set' });
  if (!hasBearer(req, token)) throw unauthorized(req);
}

/**
 * One side of a checked flag with the files inside its values taken out to be stored, each
 * replaced by its path in the store. Each kind reads its own files (an image's header is checked:
 * a flag must not store what a prediction would refuse).
 */
function withoutFiles(id: string, values: Record<string, unknown>, components: ReadonlyArray<NamedComponent>, side: 'input' | 'output', files: PendingFile[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, component } of components) {
    const value = values[name];
    if (value === undefined) continue;
    const codec = component.files;
    if (codec === undefined) {
      out[name] = value;
      continue;
    }
    const field = side === 'input' ? name : `outputs.${name}`;
    let index = 0;
    out[name] = codec.map(value, (file) => {
      const f = codec.read(file, field);
      const pending: PendingFile = { side, field: name, index: index++, extension: f.extension, mimeType: f.mimeType, bytes: f.bytes };
      files.push(pending);
      return flagFilePath(id, pending);
    });
  }
  return out;
}
