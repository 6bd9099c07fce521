/**
 * Push diagnostics for clients without pull support. Publishing waits for a short pause in
 * typing so that a burst of keystrokes yields one analysis, not one per character.
 */
const DELAY_MS = 120;

export class PushScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly publish: (uri: string) => Promise<void>) {}

  schedule(uri: string, delay = DELAY_MS): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.publish(uri);
      }, delay),
    );
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
