/**
 * Passwords live in VS Code's SecretStorage (the OS keychain), one entry per profile, keyed
 * `sqlperf.password.<profile name>`; never in settings, logs or messages. Written against
 * the three methods it uses, so it is tested with a map and needs no `vscode` import.
 */
import type { SecretSource } from '../db/secrets';

export const SECRET_KEY_PREFIX = 'sqlperf.password.';

export function secretKey(profileName: string): string {
  return SECRET_KEY_PREFIX + profileName;
}

/** The profile a SecretStorage key belongs to, or undefined for other keys. */
export function profileOfSecretKey(key: string): string | undefined {
  return key.startsWith(SECRET_KEY_PREFIX) ? key.slice(SECRET_KEY_PREFIX.length) : undefined;
}

/** The part of vscode.SecretStorage used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export class SecretStorageSource implements SecretSource {
  constructor(private readonly store: SecretStore) {}

  async getPassword(profileName: string): Promise<string | undefined> {
    const v = await this.store.get(secretKey(profileName));
    return v === '' ? undefined : v;
  }

  /** An empty password removes the entry (then PGPASSWORD, ~/.pgpass or trust apply). */
  async setPassword(profileName: string, password: string): Promise<void> {
    if (password === '') await this.store.delete(secretKey(profileName));
    else await this.store.store(secretKey(profileName), password);
  }

  async deletePassword(profileName: string): Promise<void> {
    await this.store.delete(secretKey(profileName));
  }
}
