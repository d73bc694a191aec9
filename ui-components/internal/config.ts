/** The shape of `GET {base}/api/config` as the page reads it, checked at runtime because it comes over the network. */
import type { Label } from '../../framework/components/label.ts';
import type { WireOf } from '../../framework/components/base.ts';
import type { ErrorBody } from '../../framework/errors.ts';

/** One input or output component as the server describes it. */
export interface ComponentConfig {
  name: string;
  kind: string;
  tag: string;
  label?: string;
  info?: string;
  props: Record<string, unknown>;
}

/** The whole interface description. URLs in it are relative to the interface's base URL. */
export interface InterfaceConfig {
  title: string;
  description: string | null;
  article: string | null;
  inputs: ComponentConfig[];
  outputs: ComponentConfig[];
  examples: Array<Record<string, unknown>>;
  api: { predict: string; flag: string | null; docs: string | null };
}

/**
 * A Label wire value, typed from the Label component's zod schema (a type-only import: nothing of
 * zod reaches the bundle).
 */
export type LabelValue = WireOf<ReturnType<typeof Label>>;

/** The JSON body of every API error, as the server's error catalogue defines it. */
export type ApiErrorBody = ErrorBody;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function parseComponent(v: unknown, where: string): ComponentConfig {
  if (!isRecord(v)) throw new Error(`${where} is not an object`);
  const { name, kind, tag, label, info, props } = v;
  if (typeof name !== 'string' || name === '') throw new Error(`${where} has no name`);
  if (typeof tag !== 'string' || !tag.startsWith('vt-')) throw new Error(`${where} has no vt- tag`);
  const component: ComponentConfig = {
    name,
    kind: typeof kind === 'string' ? kind : tag.slice(3),
    tag,
    props: isRecord(props) ? props : {},
  };
  if (typeof label === 'string') component.label = label;
  if (typeof info === 'string') component.info = info;
  return component;
}

function parseComponents(v: unknown, what: string): ComponentConfig[] {
  if (!Array.isArray(v)) throw new Error(`"${what}" is not a list`);
  return v.map((c, i) => parseComponent(c, `${what}[${i}]`));
}

/**
 * Checks a fetched config and fills its defaults; throws an Error that says what is wrong.
 * Examples given as arrays (one value per input, in order) become objects keyed by input name.
 *
 * @example
 * const config = parseConfig(await (await fetch(new URL('api/config', base))).json());
 */
export function parseConfig(json: unknown): InterfaceConfig {
  if (!isRecord(json)) throw new Error('the config is not a JSON object');
  const inputs = parseComponents(json.inputs ?? [], 'inputs');
  const outputs = parseComponents(json.outputs ?? [], 'outputs');
  const examples = (Array.isArray(json.examples) ? json.examples : []).flatMap((ex): Array<Record<string, unknown>> => {
    if (isRecord(ex)) return [ex];
    if (Array.isArray(ex)) return [Object.fromEntries(inputs.map((input, i) => [input.name, ex[i]]))];
    return [];
  });
  const api = isRecord(json.api) ? json.api : {};
  return {
    title: optionalString(json.title) ?? 'Vitrine',
    description: optionalString(json.description),
    article: optionalString(json.article),
    inputs,
    outputs,
    examples,
    api: {
      predict: optionalString(api.predict) ?? 'api/predict',
      flag: optionalString(api.flag),
      docs: optionalString(api.docs),
    },
  };
}

/**
 * The interface's base URL as an absolute URL ending in `/`, so relative config URLs resolve under
 * it: `http://host:7860` → `http://host:7860/`, `''` → the directory of the page itself.
 *
 * @example
 * resolveBase('http://host:7860/image-effects', 'http://page/'); // → URL http://host:7860/image-effects/
 */
export function resolveBase(src: string | null | undefined, pageUrl: string): URL {
  const trimmed = (src ?? '').trim();
  if (trimmed === '') return new URL('.', pageUrl);
  const url = new URL(trimmed, pageUrl);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/**
 * True when a parsed JSON body looks like the API's error shape.
 *
 * @example
 * if (!response.ok && isApiError(body)) show(body.message);
 */
export function isApiError(v: unknown): v is ApiErrorBody {
  return isRecord(v) && typeof v.error === 'string' && typeof v.message === 'string';
}
