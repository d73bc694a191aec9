/** The example request of an interface's OpenAPI document (and so of its `/docs` "Try it out"): its first example, files inlined as data: URLs. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { VitrineInterface } from '../interface.ts';
import type { ExampleFile } from './interface-config.ts';

/** A larger example file is left out of the document (it is fetched with every /docs visit); the component's sample stands in. */
const MAX_INLINED_BYTES = 256 * 1024;

const MEDIA_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif' };

/**
 * The interface's first example as a predict body: wire values as they are, each file read and
 * inlined as a `data:` URL (a file that is missing, too large or of an unknown type keeps the
 * component's own sample). Undefined when the interface has no examples.
 *
 * @example
 * firstExampleRequest(fashion, exampleFiles(fashion)); // { image: 'data:image/png;base64,iVBORw0KGgo…' }
 */
export function firstExampleRequest(iface: VitrineInterface, files: readonly ExampleFile[]): Record<string, unknown> | undefined {
  const first = iface.options.examples?.[0];
  if (first === undefined) return undefined;
  const values: Record<string, unknown> = iface.singleInput ? { [iface.inputs[0]!.name]: first } : { ...(first as Record<string, unknown>) };
  for (const { name, component } of iface.inputs) {
    if (!component.isFile) continue;
    const file = files.find((f) => f.index === 0 && f.input === name);
    const type = file && MEDIA_TYPES[extname(file.file).toLowerCase()];
    let bytes: Buffer | undefined;
    try {
      if (file && type) bytes = readFileSync(file.path);
    } catch {
      bytes = undefined;
    }
    values[name] = bytes && bytes.length <= MAX_INLINED_BYTES ? `data:${type};base64,${bytes.toString('base64')}` : component.exampleWire;
  }
  return values;
}
