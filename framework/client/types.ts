/** The client's wire types, derived from an app's Interface type: what `predict` sends and what it gets back. */
import type { AnyComponent, WireOf } from '../components/base.ts';
import type { ComponentSpec, VitrineInterface } from '../interface.ts';

/**
 * A file for a file input (an image): its bytes as a Blob, Buffer, Uint8Array or ArrayBuffer, a
 * `data:` URL, or — in Node — a file path or `file:` URL, read when the request is sent.
 */
export type FileInput = Blob | Uint8Array | ArrayBuffer | URL | string;

/** What the client takes for one input: a file for a file component, else its wire value. */
export type InputValue<C> = C extends { readonly isFile: true } ? FileInput : WireOf<C>;

/** The named record a spec puts on the wire: a single component is named after its kind. */
type Named<S extends ComponentSpec, Side extends 'in' | 'out'> = S extends AnyComponent
  ? { [K in S['kind']]: Side extends 'in' ? InputValue<S> : WireOf<S> }
  : { -readonly [K in keyof S]: Side extends 'in' ? InputValue<S[K]> : WireOf<S[K]> };

/**
 * `predict`'s argument for an app: one key per input. Without an app type (no type argument to
 * `connect`), any record, checked at run time against what the server describes.
 */
export type PredictInputs<App> = App extends VitrineInterface<infer I, ComponentSpec> ? Named<I, 'in'> : Record<string, unknown>;

/** `predict`'s result for an app: one key per output, as the server sends it. */
export type PredictOutputs<App> = App extends VitrineInterface<ComponentSpec, infer O> ? Named<O, 'out'> : Record<string, unknown>;
