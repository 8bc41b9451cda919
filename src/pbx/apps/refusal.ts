import type { PromptId } from '../../media/index.js';
import type { AppCall, CallApp } from './call-app.js';

/**
 * Refuses a call so that the caller hears why: 183 Session Progress with our SDP, the prompts (e.g.
 * `number-does-not-exist`), then the final `status`. When the caller's offer has no codec we can answer, the status
 * is sent at once without early media. For the dial plan today (404) and the features to come (403 "this call is
 * not allowed", the rate limit).
 */
export async function refuseWithAnnouncement(call: AppCall, status: number, reason: string, promptIds: readonly PromptId[]): Promise<void> {
  if (await call.earlyMedia()) await call.play(call.prompts(promptIds));
  call.reject(status, reason);
}

/** An application that only refuses with an announcement (the engine runs it as `app:refusal`). */
export function announcedRefusal(status: number, reason: string, promptIds: readonly PromptId[]): CallApp {
  return (call) => refuseWithAnnouncement(call, status, reason, promptIds);
}
