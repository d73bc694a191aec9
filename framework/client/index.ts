/**
 * `vitrine/client`: call a Vitrine app from Node or the browser. Nothing here imports a Node
 * module or the server: importing only the app's type (`import type app from './app.ts'`) keeps
 * the server out of a browser bundle.
 */
export { connect, type Client, type ConnectOptions, type CallOptions, type Job, type JobEvent } from './connect.ts';
export { VitrineClientError, type ClientErrorCode, type ClientOnlyCode } from './errors.ts';
export type { AppDescription, InputDescription } from './inputs.ts';
export type { FileInput, InputValue, PredictInputs, PredictOutputs } from './types.ts';
export type { ErrorCode } from '../errors.ts';
