/** The base class of every Vitrine element: a typed `emit` and a `define` that tolerates double registration. */
import { LitElement } from 'lit';
import type { VtEventMap } from './events.ts';

/** The detail type of a Vitrine event, by name. */
export type VtEventDetail<K extends keyof VtEventMap> = VtEventMap[K] extends CustomEvent<infer D> ? D : never;

export class VitrineElement extends LitElement {
  /**
   * Dispatches a typed Vitrine event that bubbles and crosses shadow roots. Elements call it from
   * user-action handlers only, never from property setters, so owners setting `.value` hear nothing.
   *
   * @example
   * this.emit('vt-change', { name: this.name, value: this.value });
   */
  emit<K extends keyof VtEventMap>(name: K, detail: VtEventDetail<K>): VtEventMap[K] {
    const event = new CustomEvent(name, { bubbles: true, composed: true, cancelable: false, detail });
    this.dispatchEvent(event);
    return event as VtEventMap[K];
  }

  /**
   * Registers the element under `tag` unless that tag is already taken. Loading the bundle twice
   * (an embedding page that also ships it) must not throw, so the first registration wins; a
   * constructor already used under another tag is registered through a trivial subclass.
   *
   * @example
   * VtTextbox.define('vt-textbox');
   */
  static define(tag: string, ctor: CustomElementConstructor = this): void {
    if (customElements.get(tag) !== undefined) return;
    try {
      customElements.define(tag, ctor);
    } catch {
      customElements.define(tag, class extends (ctor as typeof HTMLElement) {});
    }
  }
}
