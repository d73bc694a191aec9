/**
 * The Fashion-MNIST app without its model, for
 * `npm run bench -- --entry scripts/bench-no-model/server.ts --only vitrine`: the same Image input
 * (decode size, limits), preprocessing, batching and Label output, with the CNN replaced by a
 * trivial answer. The difference to `npm run bench` is what the model costs; what is left is the
 * framework's own ceiling on this machine.
 */
import { Interface, Label, type RawImage } from 'vitrine';
import { defaultWorkerCount } from '../../framework/runtime/pool.ts';
import { preprocessForFashionMnist } from '../../apps/fashion-mnist/preprocess.ts';
import fashion, { CLASS_NAMES } from '../../apps/fashion-mnist/app.ts';

/** Preprocesses like the app, then answers the mean brightness as "T-shirt/top" and spreads the rest. */
function classifyWithoutModel(images: RawImage[]): Array<Record<string, number>> {
  return images.map((img) => {
    const x = preprocessForFashionMnist(img);
    const first = x.reduce((s, v) => s + v, 0) / x.length;
    return Object.fromEntries(CLASS_NAMES.map((name, c) => [name, c === 0 ? first : (1 - first) / (CLASS_NAMES.length - 1)]));
  });
}

export default Interface({
  fn: classifyWithoutModel,
  batch: fashion.options.batch,
  // The app's own Image component: the same decode size, colour mode and limits.
  inputs: fashion.inputs[0]!.component,
  outputs: Label({ topK: 3 }),
  title: 'Fashion-MNIST preprocessing without the model (benchmark)',
  // The app's worker pool too: without a load() it would run in the main thread by default.
  workers: defaultWorkerCount(),
});

