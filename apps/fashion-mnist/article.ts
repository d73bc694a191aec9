/** The text shown under the demo: what the model is, how well it does, where it fails. */
export const ARTICLE = `**Model.** A small convolutional network trained by this repository's own TensorFlow.js pipeline on the 60,000 official Fashion-MNIST training images (\`npm run train\`); its test-set figures, per-class accuracy and confusion matrix are in the README's model card.

**Pictures.** Before classification the picture is flattened on white, turned grey, inverted when its background is light (the dataset has light garments on black), cropped to the garment and fitted into a centred 28×28 box the way the dataset was made. So product photos on a plain light background work, not only dataset images.

**Limits.** One garment per picture; busy backgrounds, people wearing the clothes and classes outside the ten (hats, socks…) are not handled — the model will still pick one of its ten classes. Shirts, T-shirts, pullovers and coats are the classes it confuses most.`;
