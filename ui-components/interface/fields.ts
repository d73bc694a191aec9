/** Building an input or output element from its config entry: its module loaded on demand, only what a remote config may set. */
import type { ComponentConfig } from '../internal/config.ts';
import type { FieldElement } from '../internal/field-element.ts';
import type { VitrineElement } from '../internal/vitrine-element.ts';

/** Set by the interface itself, never from a config's props. */
const RESERVED_PROPS = new Set(['name', 'label', 'info', 'readonly', 'disabled']);

/**
 * The folder of this bundle: element modules are loaded from beside it, never from elsewhere.
 * This module sits in `vitrine.js`, or in a shared chunk under `chunks/` when a lazily loaded
 * element imports it too: either way the bundle's folder is the one above the chunks.
 */
const HERE = new URL('./', import.meta.url);
const BUNDLE_DIR = HERE.pathname.endsWith('/chunks/') ? new URL('../', HERE) : HERE;

/** One built input or output: its config entry, its element and the value Clear puts back. */
export interface Field {
  config: ComponentConfig;
  el: FieldElement<unknown>;
  initial: unknown;
}

/**
 * Loads the element modules the entries name (`elements/image.js`), each once, from the bundle's
 * own folder: a config from elsewhere cannot make the page run a script of its choosing. A module
 * that fails to load leaves its kind to the JSON editor.
 *
 * @example
 * await loadElements([...config.inputs, ...config.outputs]);
 */
export async function loadElements(entries: readonly ComponentConfig[]): Promise<void> {
  const missing = (list: readonly ComponentConfig[]) => list.filter((e) => customElements.get(e.tag) === undefined);
  await Promise.all([...new Set(missing(entries).map((e) => e.element))].map(loadModule));
  // The JSON editor stands in for a kind whose element did not load.
  if (missing(entries).length > 0) await loadModule('elements/json.js');
}

async function loadModule(path: string): Promise<void> {
  const url = new URL(path, BUNDLE_DIR);
  if (url.origin !== BUNDLE_DIR.origin || !url.pathname.startsWith(`${BUNDLE_DIR.pathname}elements/`) || !url.pathname.endsWith('.js')) return;
  await import(url.href).catch(() => undefined);
}

/** Whether a registered tag is a field element (a value and a reset), not some other element of the page. */
function isFieldTag(tag: string): boolean {
  const ctor = customElements.get(tag) as (typeof VitrineElement & { prototype: { reset?: unknown } }) | undefined;
  return ctor !== undefined && typeof ctor.prototype.reset === 'function' && ctor.elementProperties?.has('value') === true;
}

/**
 * Creates the element of one input (or, read-only, output), once {@link loadElements} has loaded
 * it. An unknown or unloaded tag falls back to the JSON editor; props are set only where the
 * element declares a reactive property of that name.
 *
 * @example
 * const field = createField({ name: 'note', kind: 'textbox', tag: 'vt-textbox', element: 'elements/textbox.js', label: 'Note', props: {}, file: false, sample: 'Hello' }, false);
 */
export function createField(entry: ComponentConfig, output: boolean): Field {
  const tag = isFieldTag(entry.tag) ? entry.tag : 'vt-json';
  const el = document.createElement(tag) as FieldElement<unknown>;
  const declared = (el.constructor as typeof VitrineElement).elementProperties;
  for (const [key, value] of Object.entries(entry.props ?? {})) {
    // Only the element's declared reactive properties, and never null: a config from another
    // origin must not reach innerHTML or event handlers, and null means "unset" on the wire.
    if (declared.has(key) && !RESERVED_PROPS.has(key) && value !== null) (el as unknown as Record<string, unknown>)[key] = value;
  }
  el.name = entry.name;
  el.label = entry.label ?? entry.name;
  el.info = entry.info ?? '';
  el.readonly = output;
  el.setAttribute('part', output ? 'output' : 'input');
  return { config: entry, el, initial: el.value };
}
