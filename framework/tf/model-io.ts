/** Saves and loads a TF.js layers model to and from a folder on disk with plain TF.js (no tfjs-node). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { core, layers } from './tfjs.ts';

/** File names inside a model folder, as `tf.LayersModel.save('file://…')` would write them. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Loads a layers model saved in TF.js format (`model.json` + weight files) from a folder.
 *
 * @example
 * const model = await loadLayersModelFromDir('apps/fashion-mnist/model');
 * const probs = model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor;
 */
export async function loadLayersModelFromDir(dir: string): Promise<LayersModel> {
  const jsonPath = join(dir, MODEL_JSON);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`Cannot read the model at ${jsonPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${jsonPath} is not a TF.js layers model (no modelTopology or weightsManifest)`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const file of group.paths) {
      const bytes = await readFile(join(dir, file));
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData: core.io.concatenateArrayBuffers(buffers),
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
  };
  if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig;
  if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  return layers.loadLayersModel(core.io.fromMemory(artifacts));
}

/**
 * Saves a layers model to a folder as `model.json` + `weights.bin` (the folder is created).
 * Files are written under temporary names and renamed, so a reader (or a run stopped mid-write)
 * never sees half a checkpoint.
 *
 * @example
 * await saveLayersModelToDir(model, 'apps/fashion-mnist/model');
 */
export async function saveLayersModelToDir(model: LayersModel, dir: string): Promise<tf.io.SaveResult> {
  await mkdir(dir, { recursive: true });
  return model.save(
    core.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? core.io.concatenateArrayBuffers(data) : data;
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${layers.version_layers}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      const tmp = `.tmp-${process.pid}-${Date.now()}`;
      await writeFile(join(dir, WEIGHTS_BIN + tmp), new Uint8Array(weights));
      await writeFile(join(dir, MODEL_JSON + tmp), JSON.stringify(json));
      await rename(join(dir, WEIGHTS_BIN + tmp), join(dir, WEIGHTS_BIN));
      await rename(join(dir, MODEL_JSON + tmp), join(dir, MODEL_JSON));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
}
