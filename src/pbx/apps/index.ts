// Applications: Centrala itself as the called party (feature codes, refusal announcements; later voicemail).
export type { AppCall, CallApp, TransferTarget } from './call-app.js';
export { AppRunner, type AppRunnerOptions } from './app-runner.js';
export { AppSession, type AppHandover } from './app-session.js';
export { FEATURE_CODES, type FeatureCodeApp } from './feature-codes.js';
export { refuseWithAnnouncement, announcedRefusal } from './refusal.js';
export { echoTest } from './echo-test.js';
export { speakingClock, TEST_TONE } from './speaking-clock.js';
