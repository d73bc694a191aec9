/** The text shown under the demo: what the model is, how well it does, where it fails. */
export const ARTICLE = `**Model.** A small convolutional network trained by this repository's own TensorFlow.js pipeline on the 60,000 official Fashion-MNIST training images, part of every batch rendered as a casual photo (\`npm run train\`), and served on ONNX Runtime: 94.0 % on the official test set, 92 % on studio product photos, 70 % on casual phone-style photos.

**Pictures.** Before classification the background is fitted from the picture's border as a smooth colour field (so wood, fabric, gradients and vignetting are modelled), what differs from it is kept, and the garment is cropped and fitted into a centred 28×28 box, bright on black, the way the dataset was made. "What the model saw" shows that picture.

**Limits.** One garment per picture; people wearing the clothes and classes outside the ten (hats, socks…) are not handled — the model will still pick one of its ten classes. Small, strongly rotated or low-resolution garments are the hardest; shirts, T-shirts, pullovers and coats are the classes it confuses most.`;
