import type { ExtensionAdvanced, ExtensionForwarding, ExtensionGeneral, ExtensionVoicemail } from './extension.js';

/** Voicemail section of an input: settings plus the plaintext PIN (hashed before storage; null clears it). */
export type ExtensionVoicemailInput = Partial<ExtensionVoicemail> & { pin?: string | null };

/** Advanced section of an input: options plus the plaintext outgoing-call PIN (null clears it). */
export type ExtensionAdvancedInput = Partial<ExtensionAdvanced> & { outgoingPin?: string | null };

/**
 * Input of extension creation. Sections may be left out or given in part; missing fields take
 * {@link EXTENSION_DEFAULTS}. Without `password` a strong one is generated and returned once.
 * Phone numbers may be given in national form of the tenant country; they are stored as E.164.
 */
export interface ExtensionCreateInput {
  number: string;
  name: string;
  password?: string;
  general?: Partial<ExtensionGeneral>;
  voicemail?: ExtensionVoicemailInput;
  forwarding?: Partial<ExtensionForwarding>;
  advanced?: ExtensionAdvancedInput;
}

/** A partial change of an extension; the result is validated as a whole. */
export interface ExtensionPatch {
  number?: string;
  name?: string;
  password?: string;
  general?: Partial<ExtensionGeneral>;
  voicemail?: ExtensionVoicemailInput;
  forwarding?: Partial<ExtensionForwarding>;
  advanced?: ExtensionAdvancedInput;
}
