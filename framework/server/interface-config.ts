/** `GET {base}/api/config`: its zod schema (the page imports the type, OpenAPI the JSON Schema) and how the server builds it. */
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isGeneratorInterface, type NamedComponent, type VitrineInterface } from '../interface.ts';
import { customElementPath, hasCustomElement } from './custom-elements.ts';

/** One input or output as the page builds it. */
export const ComponentConfigSchema = z.object({
  name: z.string().min(1).describe('The key of this input or output in the API'),
  kind: z.string().describe('The component kind: image, label, textbox …'),
  tag: z.string().regex(/^[a-z][a-z0-9]*-[a-z0-9-]*$/).describe('The custom element that shows it'),
  element: z.string().describe("The element's module, relative to the page bundle's folder (elements/image.js)"),
  file: z.boolean().describe('True when the input travels as a file part in multipart'),
  sample: z.unknown().describe('What the "Use via API" snippets show for it (a file kind: a file name)'),
  label: z.string().describe('The visible label'),
  info: z.string().optional().describe('Help text under the control'),
  props: z.record(z.string(), z.unknown()).describe("The element's settings (the component's options)"),
});

/** The whole interface description; URLs in it are relative to the interface's base URL. */
export const InterfaceConfigSchema = z
  .object({
    title: z.string(),
    description: z.string().describe('Markdown shown under the title ("" for none)'),
    article: z.string().nullable().describe('Markdown shown under the demo'),
    inputs: z.array(ComponentConfigSchema),
    outputs: z.array(ComponentConfigSchema),
    examples: z
      .array(z.record(z.string(), z.unknown()))
      .describe('One object per example, keyed by input name; file inputs hold the URL of the file (examples/<index>/<file name>)'),
    batch: z.object({ maxSize: z.number().int(), maxDelayMs: z.number() }).nullable(),
    layout: z.enum(['interface', 'chat']).describe('Inputs beside outputs, or a chat (ChatInterface)'),
    streams: z.boolean().describe('True when the function is an async generator: predict can stream its partial outputs'),
    api: z.object({
      predict: z.string(),
      gradio: z.string().describe("The endpoint's name in Gradio's protocol: /predict, or /chat for a ChatInterface"),
      config: z.string(),
      flag: z.string().nullable().describe('null when flagging is off'),
      openapi: z.string(),
      docs: z.string(),
    }),
  })
  .describe('The interface: what the web page is built from');

export type ComponentConfig = z.infer<typeof ComponentConfigSchema>;
export type InterfaceConfig = z.infer<typeof InterfaceConfigSchema>;

/** An example's file, served by index from a fixed table so that no path from a URL reaches the disk. */
export interface ExampleFile {
  index: number;
  input: string;
  file: string;
  path: string;
}

/**
 * The files the examples name: one entry per file input of each example (other values stay in
 * the config as wire values).
 *
 * @example
 * exampleFiles(fashion); // [{ index: 0, input: 'image', file: 'sneaker.png', path: '/srv/…/sneaker.png' }, …]
 */
export function exampleFiles(iface: VitrineInterface): ExampleFile[] {
  const out: ExampleFile[] = [];
  (iface.options.examples ?? []).forEach((example, index) => {
    for (const { name, component } of iface.inputs) {
      const v = exampleValues(iface, example)[name];
      if (!component.isFile || v === undefined) continue;
      const path = v instanceof URL ? fileURLToPath(v) : String(v).startsWith('file:') ? fileURLToPath(String(v)) : resolve(String(v));
      out.push({ index, input: name, file: basename(path), path });
    }
  });
  return out;
}

/**
 * The config of one mounted interface, checked against its schema once when it is mounted.
 *
 * @example
 * const config = buildConfig(iface, exampleFiles(iface), { flagging: true });
 */
export function buildConfig(iface: VitrineInterface, files: readonly ExampleFile[], opts: { flagging: boolean }): InterfaceConfig {
  const o = iface.options;
  const examples = (o.examples ?? []).map((example, index) => {
    const values = { ...exampleValues(iface, example) };
    for (const f of files.filter((f) => f.index === index)) values[f.input] = `examples/${index}/${encodeURIComponent(f.file)}`;
    return values;
  });
  return InterfaceConfigSchema.parse({
    title: o.title ?? 'Vitrine',
    description: o.description ?? '',
    article: o.article ?? null,
    inputs: iface.inputs.map(describeComponent),
    outputs: iface.outputs.map(describeComponent),
    examples,
    batch: o.batch ?? null,
    layout: iface.layout,
    streams: isGeneratorInterface(iface),
    api: { predict: 'api/predict', gradio: `/${iface.apiName}`, config: 'api/config', flag: opts.flagging ? 'api/flag' : null, openapi: 'openapi.json', docs: 'docs' },
  } satisfies z.input<typeof InterfaceConfigSchema>);
}

function describeComponent({ name, component }: NamedComponent): ComponentConfig {
  return {
    name,
    kind: component.kind,
    tag: component.tag,
    element: elementModule(component),
    file: component.isFile,
    sample: component.sample,
    label: component.label ?? name.charAt(0).toUpperCase() + name.slice(1),
    ...(component.info ? { info: component.info } : {}),
    props: { ...component.props },
  };
}

/**
 * Where the page loads a kind's element from, relative to the bundle's folder: a built-in element
 * by its folder name, an app's own module where the server bundled it (custom-elements.ts).
 */
function elementModule(component: NamedComponent['component']): string {
  return hasCustomElement(component) ? customElementPath(component) : `elements/${component.element}.js`;
}

/** An example as a record of input values (a single-input interface's examples are bare values). */
function exampleValues(iface: VitrineInterface, example: unknown): Record<string, unknown> {
  return iface.singleInput ? { [iface.inputs[0]!.name]: example } : ((example ?? {}) as Record<string, unknown>);
}
