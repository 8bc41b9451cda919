export type {
  AuthExtension,
  ExtensionDirectory,
  BindingRecord,
  BindingTransport,
  LocationStore,
  ExtensionCallSettings,
  CallDirectory,
  CallDisposition,
  CallEndedBy,
  CallLegRecord,
  CallHopRecord,
  CallDetailRecord,
  CdrSink,
  BlockStore,
} from './ports.js';
export * from './registrar/index.js';
export * from './features/index.js';
export * from './calls/index.js';
export * from './apps/index.js';
