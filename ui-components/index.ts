/**
 * The page bundle's entry: registers `<vt-interface>` (and `<vt-chat>`, its layout for a ChatInterface), which loads the element of each kind its
 * config shows (`elements/<kind>.js`) when it needs it; exports the base classes and event types.
 */
export { VtInterface } from './interface/interface.ts';
export { VtChat } from './chat/chat.ts';
export { VitrineElement } from './internal/vitrine-element.ts';
export { FieldElement, type ExampleView } from './internal/field-element.ts';
export type { InterfaceConfig, ComponentConfig, LabelValue } from './internal/config.ts';
export type * from './internal/events.ts';
