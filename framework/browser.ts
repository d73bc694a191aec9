/** Vitrine's API for declaring apps, the whole of `vitrine` under the `browser` condition (index.ts adds building and serving a server on top): an Interface is declared the same way in both places. */
export {
  Interface,
  type InterfaceOptions,
  type VitrineInterface,
  type InputsOf,
  type OutputsOf,
  type BatchOptions,
  type QueueOptions,
  type FunctionContext,
  type FunctionResult,
} from './interface.ts';
export { ChatInterface, type ChatInterfaceOptions, type ChatFunction, type ChatInterfaceApp } from './chat-interface.ts';
export * from './components/index.ts';
export { VitrineError, ERRORS, type ErrorCode, type ErrorBody } from './errors.ts';
export { decodeImage, encodePng, encodePngDataUrl, toMode, type RawImage, type ImageLimits, type ImageMode, type DecodeOptions } from './image/index.ts';
