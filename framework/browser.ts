/** Vitrine's public API in a browser (the `browser` condition of `vitrine`): declaring an Interface runs there too; building and serving a server do not. */
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
