export { Dialog, parseAddress, type DialogState, type InDialogRequestOptions } from './dialog.js';
export { Retransmit2xx, type Retransmit2xxOptions } from './retransmit-2xx.js';
