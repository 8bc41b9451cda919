export { TelephoneEvent, TELEPHONE_EVENT_SIZE, FLASH_EVENT, digitToEvent, eventToDigit } from './telephone-event.js';
export { TelephoneEventReceiver, type ReceivedTelephoneEvent } from './telephone-event-receiver.js';
export { parseInfoDtmf, type InfoDigit, DTMF_INFO_CONTENT_TYPES } from './sip-info-dtmf.js';
