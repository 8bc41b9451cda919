export { TelephoneEvent, TELEPHONE_EVENT_SIZE, FLASH_EVENT, digitToEvent, eventToDigit } from './telephone-event.js';
export { TelephoneEventReceiver, type ReceivedTelephoneEvent } from './telephone-event-receiver.js';
