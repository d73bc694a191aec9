/** Writes an ONNX model file (a `ModelProto`, protobuf) from plain lists of nodes, weights and typed inputs/outputs. */
import { createRequire } from 'node:module';

// onnx-proto is a CommonJS protobufjs bundle whose one export (`onnx`) Node's ESM loader cannot
// see by name, so it is required; its types still come from its own declarations.
const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof import('onnx-proto');

/** Element types the writer knows, with ONNX's `TensorProto.DataType` codes. */
export const ELEMENT_TYPES = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float64: 11 } as const;
export type ElementType = keyof typeof ELEMENT_TYPES;

/**
 * ONNX IR version 7 and opset 13: what onnx 1.8+ and every ONNX Runtime since 1.6 read. Opset 13
 * is the first whose Softmax normalises one axis (earlier ones flatten everything after `axis`).
 */
export const IR_VERSION = 7;
export const DEFAULT_OPSET = 13;

/** A graph input or output: its name, element type and shape (a string is a symbolic dimension such as `'batch'`). */
export interface ValueSpec {
  name: string;
  type?: ElementType;
  shape: ReadonlyArray<number | string>;
}

/** A node attribute, typed explicitly: JavaScript numbers cannot say whether `1` is an int or a float. */
export type Attribute =
  | { int: number }
  | { ints: readonly number[] }
  | { float: number }
  | { floats: readonly number[] }
  | { string: string };

/** One operator of the graph. */
export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Readonly<Record<string, Attribute>>;
}

/** A constant (weights, a shape): its name, dimensions and values. */
export interface TensorSpec {
  name: string;
  dims: readonly number[];
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array;
}

/** Everything one model file holds. */
export interface ModelSpec {
  graphName: string;
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  nodes: readonly NodeSpec[];
  initializers?: readonly TensorSpec[];
  /** Free-form key/value pairs stored in the file (`metadata_props`). */
  metadata?: Readonly<Record<string, string>>;
  docString?: string;
  producer?: { name: string; version: string };
  opset?: number;
}

/**
 * Encodes a model as the bytes of an `.onnx` file.
 *
 * @example
 * const bytes = encodeOnnxModel({
 *   graphName: 'double',
 *   inputs: [{ name: 'x', shape: ['batch', 3] }],
 *   outputs: [{ name: 'y', shape: ['batch', 3] }],
 *   nodes: [{ op: 'Add', inputs: ['x', 'x'], outputs: ['y'] }],
 * });
 * await writeFile('double.onnx', bytes);
 */
export function encodeOnnxModel(spec: ModelSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: spec.opset ?? DEFAULT_OPSET }],
    producerName: spec.producer?.name ?? 'vitrine',
    producerVersion: spec.producer?.version ?? '0',
    docString: spec.docString ?? '',
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.graphName,
      node: spec.nodes.map((n, i) => ({
        opType: n.op,
        input: [...n.inputs],
        output: [...n.outputs],
        name: n.name ?? `${n.op.toLowerCase()}_${i}`,
        attribute: Object.entries(n.attributes ?? {}).map(([name, a]) => attributeProto(name, a)),
      })),
      initializer: (spec.initializers ?? []).map(tensorProto),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo(v: ValueSpec): import('onnx-proto').onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[v.type ?? 'float32'],
        shape: { dim: v.shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function attributeProto(name: string, a: Attribute): import('onnx-proto').onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in a) return { name, type: T.INT, i: a.int };
  if ('ints' in a) return { name, type: T.INTS, ints: [...a.ints] };
  if ('float' in a) return { name, type: T.FLOAT, f: a.float };
  if ('floats' in a) return { name, type: T.FLOATS, floats: [...a.floats] };
  return { name, type: T.STRING, s: new TextEncoder().encode(a.string) };
}

function tensorProto(t: TensorSpec): import('onnx-proto').onnx.ITensorProto {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`tensor ${t.name}: dims [${t.dims.join(', ')}] hold ${count} values, got ${t.data.length}`);
  const dataType =
    t.data instanceof Float32Array ? ELEMENT_TYPES.float32 : t.data instanceof BigInt64Array ? ELEMENT_TYPES.int64 : t.data instanceof Int32Array ? ELEMENT_TYPES.int32 : ELEMENT_TYPES.uint8;
  // raw_data is little-endian in the ONNX spec, as typed arrays are on every platform Node runs on
  // in practice (x64, arm64); it is also far smaller and faster to parse than float_data.
  const rawData = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
  return { name: t.name, dims: [...t.dims], dataType, rawData };
}
