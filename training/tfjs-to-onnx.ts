/** Converts a sequential TF.js layers model (channels-last, as Keras writes it) to an ONNX graph of the same function. */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { ModelSpec, NodeSpec, TensorSpec } from './onnx-writer.ts';

/** The layer classes the converter knows; any other stops it with this list. */
export const SUPPORTED_LAYERS = ['InputLayer', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'Flatten', 'Dense', 'Dropout', 'Activation', 'ReLU', 'BatchNormalization'] as const;
const ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'softplus'];
/** Layers that act on each value alone: a permutation of the values passes through them unchanged. */
const ELEMENTWISE = new Set(['Dropout', 'Activation', 'ReLU']);

/** Options of {@link layersModelToOnnx}. */
export interface ToOnnxOptions {
  /** Name of the graph input (default `'image'`) and of its batch dimension (default `'batch'`). */
  inputName?: string;
  batchName?: string;
  metadata?: Record<string, string>;
  docString?: string;
}

/** Tracks the tensor the graph has reached and how its values are laid out. */
interface State {
  x: string;
  /** `NHWC` as TF.js holds images, `NCHW` as ONNX's Conv and pooling want them, or `flat` (rank 2). */
  layout: 'NHWC' | 'NCHW' | 'flat';
  /** Set after a Flatten of NCHW values: the next Dense takes its rows in (c, h, w) order, not TF.js's (h, w, c). */
  rowsFrom?: { h: number; w: number; c: number };
}

/**
 * Builds the ONNX graph of a TF.js `Sequential` model of {@link SUPPORTED_LAYERS}. The input keeps
 * TF.js's contract (`[batch, H, W, C]`, channels last, a dynamic batch); it is transposed once to
 * channels-first before the first convolution or pooling. Where TF.js flattens (h, w, c) and ONNX
 * would flatten (c, h, w), the following Dense layer's rows are permuted instead (no extra op), or
 * the values are transposed back when no Dense follows. Weights are copied out of the model.
 *
 * @example
 * const spec = layersModelToOnnx(model, { metadata: { source: 'model.json' } });
 * await writeFile('model.onnx', encodeOnnxModel(spec));
 */
export function layersModelToOnnx(model: LayersModel, opts: ToOnnxOptions = {}): ModelSpec {
  if (model.getClassName() !== 'Sequential' || model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`only Sequential models of one input convert; this is a ${model.getClassName()} of ${model.inputs.length} input(s)`);
  }
  const inputName = opts.inputName ?? 'image';
  const batch = opts.batchName ?? 'batch';
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  const state: State = { x: inputName, layout: inShape.length === 3 ? 'NHWC' : 'flat' };
  if (inShape.length !== 3 && inShape.length !== 1) throw new Error(`inputs of shape [${inShape.join(', ')}] are not supported (images [H, W, C] or vectors)`);
  const emit = (op: string, inputs: string[], name: string, attributes?: NodeSpec['attributes']) => {
    const out = `${name}_out`;
    nodes.push({ op, inputs, outputs: [out], name, ...(attributes ? { attributes } : {}) });
    state.x = out;
  };
  const constant = (name: string, dims: number[], data: Float32Array) => (initializers.push({ name, dims, data }), name);
  const toChannelsFirst = () => {
    if (state.layout === 'NHWC') {
      emit('Transpose', [state.x], 'to_channels_first', { perm: { ints: [0, 3, 1, 2] } });
      state.layout = 'NCHW';
    }
  };
  const activation = (kind: string, name: string) => {
    if (!ACTIVATIONS.includes(kind)) throw new Error(`layer ${name}: activation "${kind}" is not supported (${ACTIVATIONS.join(', ')})`);
    if (kind === 'linear') return;
    if (kind === 'softmax' && state.layout !== 'flat') throw new Error(`layer ${name}: softmax over image channels is not supported`);
    if (kind === 'relu6') {
      emit('Clip', [state.x, constant(`${name}.min`, [], Float32Array.of(0)), constant(`${name}.max`, [], Float32Array.of(6))], `${name}_relu6`);
    } else {
      const op = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', elu: 'Elu', softplus: 'Softplus' }[kind]!;
      emit(op, [state.x], `${name}_${kind}`, kind === 'softmax' ? { axis: { int: -1 } } : undefined);
    }
  };

  const layers = model.layers;
  layers.forEach((layer, i) => {
    const cls = layer.getClassName();
    const config = layer.getConfig();
    const name = layer.name;
    const weights = layer.getWeights().map(values);
    if ((config.dataFormat ?? 'channelsLast') !== 'channelsLast') throw new Error(`layer ${name}: only channels-last layers are supported`);
    // The shape this layer is given, channels last: [batch, h, w, c] for images.
    const [, h, w, c] = cls === 'InputLayer' ? [] : (layer.input as SymbolicTensor).shape;
    switch (cls) {
      case 'InputLayer':
      case 'Dropout':
        return;
      case 'Conv2D': {
        toChannelsFirst();
        const [kh, kw] = pair(config.kernelSize);
        const strides = pair(config.strides ?? 1);
        const dilations = pair(config.dilationRate ?? 1);
        const kernel = layer.getWeights()[0]!;
        const [, , cin, cout] = kernel.shape as number[];
        const inputs = [state.x, constant(`${name}.weight`, [cout!, cin!, kh, kw], transposeKernel(weights[0]!, kh, kw, cin!, cout!))];
        if (config.useBias !== false) inputs.push(constant(`${name}.bias`, [cout!], weights[1]!));
        emit('Conv', inputs, name, {
          kernel_shape: { ints: [kh, kw] },
          strides: { ints: strides },
          dilations: { ints: dilations },
          pads: { ints: pads(String(config.padding), [h!, w!], [kh, kw], strides, dilations) },
        });
        activation(String(config.activation ?? 'linear'), name);
        return;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        toChannelsFirst();
        const size = pair(config.poolSize ?? 2);
        const strides = pair(config.strides ?? size);
        // ONNX's AveragePool leaves padding out of the mean by default (count_include_pad = 0), as TF.js does.
        emit(cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [state.x], name, {
          kernel_shape: { ints: size },
          strides: { ints: strides },
          pads: { ints: pads(String(config.padding), [h!, w!], size, strides, [1, 1]) },
        });
        return;
      }
      case 'Flatten': {
        if (state.layout === 'NCHW') {
          let next = i + 1;
          while (next < layers.length && ELEMENTWISE.has(layers[next]!.getClassName())) next++;
          if (layers[next]?.getClassName() === 'Dense') state.rowsFrom = { h: h!, w: w!, c: c! };
          else emit('Transpose', [state.x], `${name}_to_channels_last`, { perm: { ints: [0, 2, 3, 1] } });
        }
        emit('Flatten', [state.x], name, { axis: { int: 1 } });
        state.layout = 'flat';
        return;
      }
      case 'Dense': {
        if (state.layout !== 'flat') throw new Error(`layer ${name}: Dense on a rank-4 tensor is not supported (add a Flatten first)`);
        const [rows, units] = layer.getWeights()[0]!.shape as [number, number];
        const kernel = state.rowsFrom ? permuteRows(weights[0]!, units, state.rowsFrom) : weights[0]!;
        state.rowsFrom = undefined;
        const inputs = [state.x, constant(`${name}.weight`, [rows, units], kernel)];
        if (config.useBias !== false) inputs.push(constant(`${name}.bias`, [units], weights[1]!));
        emit('Gemm', inputs, name);
        activation(String(config.activation ?? 'linear'), name);
        return;
      }
      case 'Activation':
        activation(String(config.activation), name);
        return;
      case 'ReLU': {
        const max = config.maxValue;
        if (max === null || max === undefined) emit('Relu', [state.x], name);
        else emit('Clip', [state.x, constant(`${name}.min`, [], Float32Array.of(0)), constant(`${name}.max`, [], Float32Array.of(Number(max)))], name);
        return;
      }
      case 'BatchNormalization': {
        if (config.axis !== -1 && config.axis !== undefined) throw new Error(`layer ${name}: batch norm over axis ${String(config.axis)} is not supported`);
        toChannelsFirst();
        const list = [...weights];
        const mean0 = list.at(-2)!;
        const gamma = config.scale === false ? new Float32Array(mean0.length).fill(1) : list.shift()!;
        const beta = config.center === false ? new Float32Array(mean0.length) : list.shift()!;
        const [mean, variance] = list;
        const n = mean!.length;
        const inputs = [state.x, constant(`${name}.scale`, [n], gamma), constant(`${name}.bias`, [n], beta), constant(`${name}.mean`, [n], mean!), constant(`${name}.var`, [n], variance!)];
        emit('BatchNormalization', inputs, name, { epsilon: { float: Number(config.epsilon ?? 1e-3) } });
        return;
      }
      default:
        throw new Error(`layer ${name}: ${cls} layers are not supported (supported: ${SUPPORTED_LAYERS.join(', ')})`);
    }
  });
  if (state.layout !== 'flat') throw new Error('the model does not end in a vector per image (no Flatten/Dense at the end)');
  const last = nodes.at(-1);
  if (!last) throw new Error('the model has no layer to convert');
  const outputName = last.op === 'Softmax' ? 'probabilities' : 'scores';
  last.outputs = [outputName] as readonly string[];
  const units = model.outputs[0]!.shape.at(-1) as number;
  return {
    graphName: model.name,
    inputs: [{ name: inputName, shape: [batch, ...inShape] }],
    outputs: [{ name: outputName, shape: [batch, units] }],
    nodes,
    initializers,
    ...(opts.metadata ? { metadata: opts.metadata } : {}),
    ...(opts.docString ? { docString: opts.docString } : {}),
  };
}

function values(t: Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/** TF.js keeps a conv kernel as [kh, kw, in, out]; ONNX wants [out, in, kh, kw]. */
function transposeKernel(k: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = k[((y * kw + x) * cin + i) * cout + o]!;
  return out;
}

/** A Dense kernel whose rows follow TF.js's flatten order (h, w, c), reordered for ONNX's (c, h, w). */
function permuteRows(k: Float32Array, units: number, { h, w, c }: { h: number; w: number; c: number }): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        const from = ((y * w + x) * c + ch) * units;
        out.set(k.subarray(from, from + units), ((ch * h + y) * w + x) * units);
      }
  return out;
}

/**
 * ONNX pads [top, left, bottom, right] for TF's padding. `same` makes the output ceil(in / stride)
 * and, as TF does, puts the odd pixel of padding after (bottom/right); `valid` pads nothing and
 * floors, as ONNX does by default.
 */
function pads(padding: string, size: number[], kernel: number[], strides: number[], dilations: number[]): number[] {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') throw new Error(`padding "${padding}" is not supported (same, valid)`);
  const before: number[] = [];
  const after: number[] = [];
  for (let a = 0; a < 2; a++) {
    const out = Math.ceil(size[a]! / strides[a]!);
    const total = Math.max((out - 1) * strides[a]! + (kernel[a]! - 1) * dilations[a]! + 1 - size[a]!, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [...before, ...after];
}

function pair(v: unknown): [number, number] {
  return Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];
}
