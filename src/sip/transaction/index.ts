export {
  TransactionLayer,
  type TransactionLayerOptions,
  type RequestRouting,
  type ClientTransaction,
  type ServerTransaction,
} from './transaction-layer.js';
export { InviteClientTransaction, InviteClientState } from './invite-client-transaction.js';
export { NonInviteClientTransaction, NonInviteClientState } from './non-invite-client-transaction.js';
export { InviteServerTransaction, InviteServerState } from './invite-server-transaction.js';
export { NonInviteServerTransaction, NonInviteServerState } from './non-invite-server-transaction.js';
export { Transaction, type TransactionContext, type TransactionEvents, type TransactionKind, type TimerName } from './transaction.js';
export {
  DEFAULT_TIMER_SETTINGS,
  timerSettings,
  timerTable,
  type TimerSettings,
  type TimerTable,
} from './timer-table.js';
export { MAGIC_COOKIE, newBranch, hasMagicCookie } from './transaction-key.js';
export { ackForNon2xx } from './ack-for-non2xx.js';
export type {
  TransactionAddress,
  TransactionTransport,
  ClientTransactionUser,
  ServerTransactionUser,
  ClientTransactionOptions,
  ServerTransactionOptions,
  RequestArrival,
} from './types.js';
