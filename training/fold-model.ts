/** CLI: folds batch norm into the convolutions of a saved model folder (in place or into --out), optionally mirror-averaged. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initTf } from '../framework/tf/backend.ts';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../framework/tf/model-io.ts';
import { parseFlags } from './cli.ts';
import { foldBatchNorm } from './fold.ts';
import { CLASS_NAMES } from './model.ts';
import { withMirrorAveraging } from './tta.ts';

const flags = parseFlags('fold', {
  model: { type: 'string', default: 'apps/fashion-mnist/model', help: 'folder with model.json and weights.bin' },
  out: { type: 'string', default: '', help: 'folder to write the folded model to (default: overwrite --model)' },
  'mirror-average': { type: 'boolean', default: false, help: 'serve the mean of the predictions for the image and its mirror image' },
});

await initTf({ log: (m) => console.log(m) });
const model = await loadLayersModelFromDir(String(flags.model));
const folded = foldBatchNorm(model);
const served = flags['mirror-average'] ? withMirrorAveraging(folded) : folded;
const out = String(flags.out || flags.model);
await saveLayersModelToDir(served, out);
await writeFile(join(out, 'labels.json'), `${JSON.stringify(CLASS_NAMES, null, 2)}\n`);
console.log(`${model.layers.length} layers → ${folded.layers.length}${flags['mirror-average'] ? ', averaged with the mirror image' : ''}; saved to ${out}`);
