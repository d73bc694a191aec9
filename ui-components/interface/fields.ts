/** Building an input or output element from its config entry, setting only what a remote config may set. */
import type { ComponentConfig } from '../internal/config.ts';
import type { FieldElement } from '../internal/field-element.ts';
import type { VitrineElement } from '../internal/vitrine-element.ts';

/** The only tags a config may ask for: a remote config must not create arbitrary elements. */
const FIELD_TAGS = new Set(['vt-image', 'vt-label', 'vt-textbox', 'vt-number', 'vt-slider', 'vt-checkbox', 'vt-dropdown', 'vt-json']);
/** Set by the interface itself, never from a config's props. */
const RESERVED_PROPS = new Set(['name', 'label', 'info', 'readonly', 'disabled']);

/** One built input or output: its config entry, its element and the value Clear puts back. */
export interface Field {
  config: ComponentConfig;
  el: FieldElement<unknown>;
  initial: unknown;
}

/**
 * Creates the element of one input (or, read-only, output). An unknown tag falls back to the JSON
 * editor; props are set only where the element declares a reactive property of that name.
 *
 * @example
 * const field = createField({ name: 'note', kind: 'textbox', tag: 'vt-textbox', label: 'Note', props: {} }, false);
 */
export function createField(entry: ComponentConfig, output: boolean): Field {
  const tag = FIELD_TAGS.has(entry.tag) && customElements.get(entry.tag) !== undefined ? entry.tag : 'vt-json';
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
