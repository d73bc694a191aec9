/** Gradio's `/config` document for one interface: the keys its JS and Python clients read, built from the interface. */
import { randomUUID } from 'node:crypto';
import type { AnyComponent } from '../../components/base.ts';
import { isGeneratorInterface, type NamedComponent, type VitrineInterface } from '../../interface.ts';

/** Where Gradio 5 and later serve their API under an app's root; the clients read it from the config. */
export const API_PREFIX = '/gradio_api';

/**
 * The version the config reports. Gradio's Python client checks it (above 3.36.1 it asks for
 * `info`, above 4.29.0 it cancels through `cancel`); the local part says what answers.
 */
export const GRADIO_COMPAT_VERSION = '5.0.0+vitrine';

/**
 * The one endpoint of an Interface, as `api_name` (no leading slash: Gradio issue #12483); a
 * ChatInterface's is `chat`, as in Gradio (`iface.apiName`).
 */
export const API_NAME = 'predict';

/**
 * Component ids as Gradio numbers them: the dependency is 0, inputs come first from 1, then outputs.
 *
 * @example
 * componentIds(iface); // { inputs: [1, 2, 3], outputs: [4] }
 */
export function componentIds(iface: VitrineInterface): { inputs: number[]; outputs: number[] } {
  const inputs = iface.inputs.map((_, i) => i + 1);
  return { inputs, outputs: iface.outputs.map((_, i) => inputs.length + i + 1) };
}

function describe({ name, component }: NamedComponent, id: number, output: boolean) {
  const c: AnyComponent = component;
  return {
    id,
    type: c.gradio.name.toLowerCase(),
    props: {
      name: c.gradio.name.toLowerCase(),
      label: c.label ?? name.charAt(0).toUpperCase() + name.slice(1),
      info: c.info ?? null,
      value: c.defaultValue ?? null,
      show_label: true,
      visible: true,
      interactive: !output,
      elem_id: name,
      ...c.gradio.props,
    },
    skip_api: false,
    component_class_id: c.gradio.name.toLowerCase(),
  };
}

/** One id per process, as Gradio's `app_id`: the JS client's `reconnect()` compares it. */
const APP_ID = randomUUID();

/**
 * The config for a client that reached the interface at `root` (absolute, no trailing slash).
 *
 * @example
 * gradioConfig(iface, 'http://127.0.0.1:7860/image-effects', { maxFileBytes: 10 << 20 }).dependencies[0].api_name; // 'predict'
 */
export function gradioConfig(iface: VitrineInterface, root: string, opts: { maxFileBytes: number }) {
  const ids = componentIds(iface);
  const components = [
    ...iface.inputs.map((c, i) => describe(c, ids.inputs[i]!, false)),
    ...iface.outputs.map((c, i) => describe(c, ids.outputs[i]!, true)),
  ];
  const layout = { id: 0, children: components.map((c) => ({ id: c.id })) };
  return {
    version: GRADIO_COMPAT_VERSION,
    api_prefix: API_PREFIX,
    protocol: 'sse_v3',
    enable_queue: true,
    root,
    mode: 'interface',
    app_id: APP_ID,
    title: iface.options.title ?? 'Vitrine',
    description: iface.options.description ?? null,
    is_space: false,
    is_colab: false,
    space_id: null,
    dev_mode: false,
    analytics_enabled: false,
    show_error: true,
    // Nothing keeps per-session state, so clients need not hold a heartbeat connection open.
    connect_heartbeat: false,
    max_file_size: opts.maxFileBytes,
    theme: 'default',
    css: null,
    js: null,
    head: null,
    stylesheets: [],
    footer_links: [],
    username: null,
    components,
    layout,
    page: { '': { components: components.map((c) => c.id), dependencies: [0], layout } },
    pages: [['', 'Home', true]],
    current_page: '',
    dependencies: [
      {
        id: 0,
        targets: [],
        inputs: ids.inputs,
        outputs: ids.outputs,
        backend_fn: true,
        js: null,
        queue: true,
        api_name: iface.apiName,
        api_visibility: 'public',
        show_api: true,
        api_description: null,
        scroll_to_output: false,
        show_progress: 'full',
        batch: false,
        max_batch_size: 4,
        cancels: [],
        types: { generator: isGeneratorInterface(iface), cancel: false },
        collects_event_data: false,
        trigger_after: null,
        trigger_only_on_success: false,
        trigger_mode: 'once',
        rendered_in: null,
        connection: 'sse',
        time_limit: null,
        stream_every: 0.5,
        zerogpu: false,
      },
    ],
  };
}
