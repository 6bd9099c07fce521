/**
 * Handlers never throw: an exception escaping a handler becomes an error popup in some
 * clients and a dead feature in others. Log it and answer with a harmless value instead.
 */
export type Logger = (message: string) => void;

export async function guarded<T>(log: Logger, what: string, fallback: T, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    log(`sqlperf: ${what} failed: ${(e as Error)?.stack ?? String(e)}`);
    return fallback;
  }
}
