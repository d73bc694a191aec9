/** Gradio's API info (`gradio_api/info`): the `/predict` endpoint's parameters and returns, with JSON schemas derived from the components' zod schemas. */
import { z } from 'zod';
import type { NamedComponent, VitrineInterface } from '../../interface.ts';
import { FileDataSchema } from './values.ts';

type JsonSchema = Record<string, unknown>;

/** Names the clients use for their own keyword arguments, so a parameter may not take them (Gradio's blocks.py). */
const RESERVED = new Set(['api_name', 'fn_index', 'result_callbacks']);

/** zod → JSON Schema 2020-12, as the OpenAPI document derives it. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any', io }) as JsonSchema;
  delete out.$schema;
  return out;
}

const FILE_DATA_SCHEMA = jsonSchema(FileDataSchema, 'input');

/**
 * A Python type hint for a JSON schema, as Gradio's client prints them in `view_api()`
 * (gradio_client/utils.py `json_schema_to_python_type`); a FileData is a `filepath`.
 *
 * @example
 * pythonType({ type: 'array', items: { type: 'number' } }); // 'list[float]'
 */
export function pythonType(schema: JsonSchema): string {
  // JSON Schema allows `true`/`false` as schemas (a tuple's closed `items`, for one).
  if (typeof schema !== 'object' || schema === null) return 'Any';
  if (schema === FILE_DATA_SCHEMA) return 'filepath';
  if (Array.isArray(schema.prefixItems)) return `tuple[${(schema.prefixItems as JsonSchema[]).map(pythonType).join(', ')}]`;
  if (schema === FILE_LIST_SCHEMA) return 'list[filepath]';
  if (Array.isArray(schema.enum)) return `Literal[${schema.enum.map((v) => `'${String(v)}'`).join(', ')}]`;
  if ('const' in schema) return `Literal[${JSON.stringify(schema.const)}]`;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(pythonType).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'str';
    case 'number':
      return 'float';
    case 'integer':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'null':
      return 'None';
    case 'array':
      return `list[${pythonType((schema.items as JsonSchema | undefined) ?? {})}]`;
    case 'object': {
      const props = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>);
      return props.length === 0 ? 'dict' : `Dict(${props.map(([k, v]) => `${k}: ${pythonType(v)}`).join(', ')})`;
    }
    default:
      return 'Any';
  }
}

/** The value to show for a parameter: the first example's when there is one (a FileData for a file), else the component's own. */
function exampleInput(c: NamedComponent, example: unknown, root: string): unknown {
  if (!c.component.isFile) return example ?? c.component.exampleWire;
  const url = typeof example === 'string' && !example.startsWith('data:') ? `${root}/${example}` : undefined;
  const name = url?.split('/').pop() ?? 'picture.png';
  // What handle_file() builds: this server resolves its own example URLs without fetching anything.
  const file = { path: url ?? name, meta: { _type: 'gradio.FileData' }, orig_name: decodeURIComponent(name), ...(url ? { url } : {}) };
  return c.component.multipleFiles ? [file] : file;
}

const FILE_LIST_SCHEMA = { type: 'array', items: FILE_DATA_SCHEMA };

function schemaOf(c: NamedComponent, io: 'input' | 'output'): JsonSchema {
  if (!c.component.isFile) return jsonSchema(c.component.schema, io);
  return c.component.multipleFiles ? FILE_LIST_SCHEMA : FILE_DATA_SCHEMA;
}

function label(c: NamedComponent): string {
  return c.component.label ?? c.name.charAt(0).toUpperCase() + c.name.slice(1);
}

/**
 * The info document. `firstExample` holds the config's first example (file inputs as URL paths
 * under the interface, `examples/0/…`); `root` is the interface's absolute URL.
 *
 * @example
 * apiInfo(iface, 'http://127.0.0.1:7860', config.examples[0]).named_endpoints['/predict'].parameters[0].parameter_name; // 'image'
 */
export function apiInfo(iface: VitrineInterface, root: string, firstExample?: Record<string, unknown>) {
  const parameters = iface.inputs.map((c, index) => {
    const type = schemaOf(c, 'input');
    const hasDefault = c.component.defaultValue !== undefined;
    return {
      label: label(c),
      parameter_name: RESERVED.has(c.name) ? `param_${index}` : c.name,
      parameter_has_default: hasDefault,
      parameter_default: hasDefault ? c.component.defaultValue : null,
      type,
      python_type: { type: pythonType(type), description: typeof type.description === 'string' ? type.description : '' },
      component: c.component.gradio.name,
      example_input: exampleInput(c, firstExample?.[c.name], root),
    };
  });
  const returns = iface.outputs.map((c) => {
    const type = schemaOf(c, 'output');
    return {
      label: label(c),
      type,
      python_type: { type: pythonType(type), description: typeof type.description === 'string' ? type.description : '' },
      component: c.component.gradio.name,
    };
  });
  return {
    named_endpoints: {
      [`/${iface.apiName}`]: { parameters, returns, api_visibility: 'public', show_api: true, description: iface.options.description ?? '' },
    },
    unnamed_endpoints: {},
  };
}
