export type {
  AuthExtension,
  ExtensionDirectory,
  BindingRecord,
  BindingTransport,
  LocationStore,
} from './ports.js';
export * from './registrar/index.js';
