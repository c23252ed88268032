/**
 * Polls `condition` every few ms until it holds, or throws after `timeoutMs` naming what it waited for.
 * The deadline only turns a hang into a message: it is far beyond what the event needs (a process
 * started at a load average of 25 took over 10 s to listen), and a test never relies on something
 * *not* happening within it.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Like waitFor, for a condition that must be asked asynchronously (one question at a time). */
export async function waitForAsync(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
