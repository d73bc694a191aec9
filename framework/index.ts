/** Vitrine's public API: declare an Interface from components, then build or serve it. */
export { Interface, type InterfaceOptions, type VitrineInterface, type InputsOf, type OutputsOf, type BatchOptions, type QueueOptions } from './interface.ts';
export * from './components/index.ts';
export { buildApp, serve, type BuildOptions, type ServeOptions, type AppMount } from './server/app.ts';
export { VitrineError, ERRORS, type ErrorCode, type ErrorBody } from './errors.ts';
export type { RawImage, ImageLimits } from './image/index.ts';
