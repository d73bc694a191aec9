/** Every component factory, under the names app authors use (`Number` and `JSON` as in Gradio), and the contract to define a kind of one's own. */
export { Image, type ImageOptions, type ImageTransport } from './image.ts';
export { Label, type LabelOptions, type LabelResult, type Confidence } from './label.ts';
export { Textbox, type TextboxOptions } from './textbox.ts';
export { numberComponent as Number, type NumberOptions } from './number.ts';
export { Slider, type SliderOptions } from './slider.ts';
export { Checkbox, type CheckboxOptions } from './checkbox.ts';
export { Dropdown, type DropdownOptions } from './dropdown.ts';
export { jsonComponent as JSON, type JsonOptions, type JsonValue } from './json.ts';
export { defineComponent, checkOption, checkNumber } from './base.ts';
export type { AnyComponent, Component, ValueOf, ResultOf, WireOf, CommonOptions, ConvertContext, FileBytes, FileCodec, GradioMapping } from './base.ts';
export { singleFileCodec, listFileCodec } from './file-codec.ts';
export { fileFromWire, dataUrl } from '../files/wire.ts';
