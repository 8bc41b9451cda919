import type { AppCall } from './call-app.js';

/**
 * `*43` echo test: answers, says "echo test", then sends back what it hears (60–80 ms later) until the caller hangs
 * up. Checks a new phone's microphone, speaker, codec and the network path in one call.
 */
export async function echoTest(call: AppCall): Promise<void> {
  if (!(await call.answer())) return;
  await call.play(call.prompts(['echo-test']));
  await call.echo();
}
