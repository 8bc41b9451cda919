import type { CallApp } from './call-app.js';
import { echoTest } from './echo-test.js';
import { speakingClock } from './speaking-clock.js';

/** An application reachable by dialling a feature code. */
export interface FeatureCodeApp {
  /** Shown in the call record as `answeredBy: app:<name>`. */
  readonly name: string;
  readonly app: CallApp;
}

/**
 * Feature codes every extension can dial (internal, free, never subject to outgoing-call limits). Later issues add
 * `*98` (voicemail) here.
 */
export const FEATURE_CODES: ReadonlyMap<string, FeatureCodeApp> = new Map([
  ['*43', { name: 'echo', app: echoTest }],
  ['*44', { name: 'clock', app: speakingClock }],
]);
