/** The page bundle's entry: registers every Vitrine element and exports their classes and event types. */
export { VtCheckbox } from './checkbox/checkbox.ts';
export { VtDropdown } from './dropdown/dropdown.ts';
export { VtImage, type ImageSource } from './image/image.ts';
export { VtInterface } from './interface/interface.ts';
export { VtJson } from './json/json.ts';
export { VtLabel } from './label/label.ts';
export { VtNumber } from './number/number.ts';
export { VtProgress } from './progress/progress.ts';
export { VtSlider } from './slider/slider.ts';
export { VtTextbox } from './textbox/textbox.ts';
export { VitrineElement } from './internal/vitrine-element.ts';
export type { InterfaceConfig, ComponentConfig, LabelValue } from './internal/config.ts';
export type * from './internal/events.ts';
