/** Reads what an ONNX file says about itself (producer, opsets, metadata_props) without reading its weights: the protobuf scan, on any bytes source (file-info.ts reads a file, the browser runtime a fetched model). */

/** The model-level fields of an ONNX file; ONNX Runtime does not expose them. */
export interface OnnxFileInfo {
  irVersion: number;
  producer: string;
  /** Operator set versions by domain (`''` is the default ONNX domain). */
  opsets: Record<string, number>;
  /** `metadata_props`: free-form key/value pairs the exporter wrote (labels, normalisation, …). */
  metadata: Record<string, string>;
}

/** Reads `length` bytes at `position` (fewer at the end). */
export type ByteReader = (position: number, length: number) => Promise<Uint8Array>;

/** Field numbers of `ModelProto` and its small messages (onnx/onnx.proto). */
const FIELD = { irVersion: 1, producerName: 2, producerVersion: 3, opsetImport: 8, metadataProps: 14 } as const;
/** Protobuf wire types. */
const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;
/** Length-delimited fields above this size are skipped unread (the graph, its weights, long docs). */
const MAX_READ_BYTES = 1 << 20;

/**
 * Scans the top level of an ONNX file's bytes: the graph — nearly all of the file — is skipped by its
 * length, so this costs a few small reads however large the model. Throws when the bytes are not
 * a protobuf message.
 *
 * @example
 * const info = await parseOnnxFileInfo(async (at, n) => bytes.subarray(at, at + n), bytes.length, 'model.onnx');
 * info.metadata['vitrine.mirror_average']; // 'adaptive'
 */
export async function parseOnnxFileInfo(readAt: ByteReader, size: number, path: string): Promise<OnnxFileInfo> {
  const info: OnnxFileInfo = { irVersion: 0, producer: '', opsets: {}, metadata: {} };
  let producerVersion = '';
  let pos = 0;
  while (pos < size) {
    const head = await readAt(pos, Math.min(20, size - pos));
    const [tag, tagLen] = varint(head, 0, path);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    pos += tagLen;
    if (wire === WIRE.varint) {
      const [value, len] = varint(head, tagLen, path);
      if (field === FIELD.irVersion) info.irVersion = Number(value);
      pos += len;
    } else if (wire === WIRE.fixed64 || wire === WIRE.fixed32) {
      pos += wire === WIRE.fixed64 ? 8 : 4;
    } else if (wire === WIRE.bytes) {
      const [length, len] = varint(head, tagLen, path);
      pos += len;
      const n = Number(length);
      const wanted = [FIELD.producerName, FIELD.producerVersion, FIELD.opsetImport, FIELD.metadataProps] as number[];
      if (wanted.includes(field) && n <= MAX_READ_BYTES) {
        const body = await readAt(pos, n);
        if (field === FIELD.producerName) info.producer = text(body);
        else if (field === FIELD.producerVersion) producerVersion = text(body);
        else if (field === FIELD.opsetImport) {
          const m = fields(body, path);
          info.opsets[text(m.get(1) ?? new Uint8Array())] = Number(m.get(2) ?? 0n);
        } else {
          const m = fields(body, path);
          info.metadata[text(m.get(1) ?? new Uint8Array())] = text(m.get(2) ?? new Uint8Array());
        }
      }
      pos += n;
    } else {
      throw new Error(`${path} is not an ONNX model (protobuf wire type ${wire} at byte ${pos})`);
    }
  }
  if (pos !== size) throw new Error(`${path} is not an ONNX model (a field runs past the end of the file)`);
  if (producerVersion) info.producer = `${info.producer} ${producerVersion}`.trim();
  return info;
}

/** A base-128 varint at `at`: its value and its length in bytes. */
function varint(bytes: Uint8Array, at: number, path: string): [bigint, number] {
  let value = 0n;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    const b = bytes[at + i]!;
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return [value, i + 1];
  }
  throw new Error(`${path} is not an ONNX model (a protobuf varint is cut short or too long at byte ${at})`);
}

/** The fields of a small message: strings and bytes as bytes, varints as bigint (the last of each number wins). */
function fields(body: Uint8Array, path: string): Map<number, Uint8Array | bigint> {
  const out = new Map<number, Uint8Array | bigint>();
  let at = 0;
  while (at < body.length) {
    const [tag, tagLen] = varint(body, at, path);
    at += tagLen;
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === WIRE.fixed64 || wire === WIRE.fixed32) {
      at += wire === WIRE.fixed64 ? 8 : 4;
      continue;
    }
    if (wire !== WIRE.varint && wire !== WIRE.bytes) throw new Error(`${path}: unexpected protobuf wire type ${wire} inside a model-level field`);
    const [value, len] = varint(body, at, path);
    at += len;
    if (wire === WIRE.varint) out.set(field, value);
    else {
      out.set(field, body.subarray(at, at + Number(value)));
      at += Number(value);
    }
  }
  return out;
}

function text(v: Uint8Array | bigint): string {
  return typeof v === 'bigint' ? String(v) : new TextDecoder().decode(v);
}
