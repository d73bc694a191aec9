/** The typed events Vitrine's elements fire; all are prefixed `vt-`, bubble and cross shadow roots. */
import type { InterfaceConfig } from './config.ts';

/** Detail of `vt-change` and `vt-input`: which input changed and its new wire value. */
export interface VtValueDetail<T = unknown> {
  name: string;
  value: T;
}

/** Fired when the user commits a new value (picks a file, releases a slider, leaves a text field). */
export type VtChangeEvent<T = unknown> = CustomEvent<VtValueDetail<T>>;
/** Fired on every user edit while typing or dragging, before `vt-change`. */
export type VtInputEvent<T = unknown> = CustomEvent<VtValueDetail<T>>;
/** Fired by `<vt-interface>` once its config is loaded and the demo is built. */
export type VtLoadEvent = CustomEvent<{ config: InterfaceConfig }>;
/** Fired by `<vt-interface>` when the user runs the interface (Submit or an example). */
export type VtSubmitEvent = CustomEvent<{ inputs: Record<string, unknown> }>;
/** Fired by `<vt-interface>` for each partial output of a function that streams, before `vt-result`. */
export type VtPartialEvent = CustomEvent<{ outputs: Record<string, unknown> }>;
/** Fired by `<vt-interface>` when a prediction came back. */
export type VtResultEvent = CustomEvent<{ outputs: Record<string, unknown> }>;
/** Fired by `<vt-interface>` when a prediction failed; `error` is the API's code when it sent one. */
export type VtErrorEvent = CustomEvent<{ error: string; message: string; status: number | null }>;

/** Every Vitrine event by name; `emit` is typed against this map. */
export interface VtEventMap {
  'vt-change': VtChangeEvent;
  'vt-input': VtInputEvent;
  'vt-load': VtLoadEvent;
  'vt-submit': VtSubmitEvent;
  'vt-partial': VtPartialEvent;
  'vt-result': VtResultEvent;
  'vt-error': VtErrorEvent;
}

declare global {
  // addEventListener('vt-change', …) is typed everywhere from the one map above.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends VtEventMap {}
}
