/**
 * The page bundle's entry: registers `<vt-interface>`, which loads the element of each kind its
 * config shows (`elements/<kind>.js`, and `elements/chat.js` for a ChatInterface) when it needs it; exports the base classes and event types.
 */
export { VtInterface } from './interface/interface.ts';
export { VitrineElement } from './internal/vitrine-element.ts';
export { FieldElement, type ExampleView } from './internal/field-element.ts';
export type { InterfaceConfig, ComponentConfig, LabelValue } from './internal/config.ts';
export type * from './internal/events.ts';
