/**
 * How every end-to-end spec file starts: the stack and a browser, launched side by side, and a tab;
 * `stopSession` (in `afterAll`) closes whichever of them started.
 */
import { type Chromium, type LaunchOptions, launchChromium, type WatchedPage } from './chromium.ts';
import { type Stack, type StackOptions, startStack } from './stack.ts';

export interface Session {
  stack: Stack;
  chromium: Chromium;
  /** A tab, not yet on the app: specs that change the store first open it afterwards. */
  app: WatchedPage;
}

export async function startSession(
  options: { stack?: StackOptions; browser?: LaunchOptions } = {},
): Promise<Session> {
  const [stack, chromium] = await Promise.all([startStack(options.stack), launchChromium(options.browser)]);
  return { stack, chromium, app: await chromium.newPage() };
}

export async function stopSession(session: Partial<Session>): Promise<void> {
  await session.chromium?.close();
  await session.stack?.stop();
}
