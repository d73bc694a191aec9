/** `vitrine openapi`: the OpenAPI document of a module's Interface, as `vitrine serve` would serve it at the root. */
import { writeFile } from 'node:fs/promises';
import { importInterface } from '../server/import-interface.ts';
import { exampleFiles } from '../server/interface-config.ts';
import { buildOpenApi } from '../server/openapi.ts';
import { firstExampleRequest } from '../server/openapi-example.ts';
import type { MountArg } from './args.ts';

/**
 * Imports the module (nothing loads: an Interface's `load` runs only when served) and returns
 * its OpenAPI 3.1 document as JSON, also written to `out` when given.
 *
 * @example
 * const json = await openApiDocument(mountArgs(['app.ts'], process.cwd())[0]!, 'openapi.json');
 */
export async function openApiDocument(mount: MountArg, out: string | undefined): Promise<string> {
  const iface = await importInterface(mount);
  // `vitrine serve` turns flagging on, so its routes are part of the served document too.
  const exampleRequest = firstExampleRequest(iface, exampleFiles(iface));
  const json = `${JSON.stringify(buildOpenApi(iface, { serverUrl: '/', flagging: true, exampleRequest }), null, 2)}\n`;
  if (out !== undefined) await writeFile(out, json);
  return json;
}
