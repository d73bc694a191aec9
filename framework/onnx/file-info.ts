/** Reads what an .onnx file says about itself (producer, opsets, metadata_props) without reading its weights. */
import { open } from 'node:fs/promises';
import { parseOnnxFileInfo, type OnnxFileInfo } from './onnx-header.ts';

export type { OnnxFileInfo } from './onnx-header.ts';

/**
 * Scans the top level of an ONNX file: the graph — nearly all of the file — is skipped by its
 * length, so this costs a few small reads however large the model. Throws when the bytes are not
 * a protobuf message.
 *
 * @example
 * const info = await readOnnxFileInfo('model.onnx');
 * info.metadata['vitrine.mirror_average']; // 'adaptive'
 */
export async function readOnnxFileInfo(path: string): Promise<OnnxFileInfo> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    return await parseOnnxFileInfo(async (position, length) => {
      const buf = new Uint8Array(length);
      const { bytesRead } = await file.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    }, size, path);
  } finally {
    await file.close();
  }
}
