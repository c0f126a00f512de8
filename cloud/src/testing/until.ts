/**
 * Waits until `check` holds, looking every 20 ms: for what arrives over a WebSocket or the bus, which a
 * test cannot await directly. Fails naming `what` after `timeoutMs`.
 */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
