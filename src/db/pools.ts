/**
 * One pool per connection profile, created on first use and kept until the profile's
 * settings change or the extension shuts down. The VS Code side (status bar, commands)
 * asks this registry for a target by profile and never builds a pool itself.
 */
import type { ConnectionProfile } from './profiles';
import { resolveConnectionConfig, type ResolveOptions } from './profiles';
import type { SecretSource } from './secrets';
import { ServerTarget, type PoolHealth, type ServerTargetOptions } from './server-target';
import type { QuerySession, SessionOptions } from './target';
import type { DbError } from './errors';

export interface PoolRegistryOptions extends ResolveOptions, Omit<ServerTargetOptions, 'profileName' | 'onHealthChange'> {
  env?: Record<string, string | undefined>;
  onHealthChange?: (profileName: string, health: PoolHealth, reason?: DbError) => void;
}

export class PoolRegistry {
  private readonly targets = new Map<string, Entry>();

  constructor(
    private readonly secrets: SecretSource,
    private readonly options: PoolRegistryOptions = {},
  ) {}

  /**
   * The target for a profile. A profile whose settings changed gets a new pool (the old one
   * is closed); a changed password needs `forget(name)` since the registry cannot see it.
   */
  target(profile: ConnectionProfile): Promise<ServerTarget> {
    const key = JSON.stringify(profile);
    const existing = this.targets.get(profile.name);
    if (existing && existing.key === key) return existing.target;
    if (existing) void this.forget(profile.name);
    const target = this.create(profile);
    const entry: Entry = { key, target };
    this.targets.set(profile.name, entry);
    target.then(
      (t) => (entry.resolved = t),
      // a failed resolve (missing env var) must not stick: the user fixes it and retries
      () => this.targets.get(profile.name) === entry && this.targets.delete(profile.name),
    );
    return target;
  }

  /** Runs `fn` on one connection of the profile's pool (see ServerTarget.withSession). */
  async withClient<T>(profile: ConnectionProfile, fn: (session: QuerySession) => Promise<T>, options?: SessionOptions): Promise<T> {
    return (await this.target(profile)).withSession(fn, options);
  }

  health(profileName: string): PoolHealth {
    return this.targets.get(profileName)?.resolved?.health ?? 'unknown';
  }

  /** Closes and drops a profile's pool (password changed, profile removed). */
  async forget(profileName: string): Promise<void> {
    const entry = this.targets.get(profileName);
    if (!entry) return;
    this.targets.delete(profileName);
    await entry.target.then((t) => t.close()).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const names = [...this.targets.keys()];
    await Promise.all(names.map((n) => this.forget(n)));
  }

  private async create(profile: ConnectionProfile): Promise<ServerTarget> {
    const { env, onHealthChange, connectTimeoutMs, ...targetOptions } = this.options;
    const resolved = await resolveConnectionConfig(profile, this.secrets, env ?? process.env, { connectTimeoutMs });
    return new ServerTarget(resolved, {
      ...targetOptions,
      profileName: profile.name,
      onHealthChange: onHealthChange ? (h, reason) => onHealthChange(profile.name, h, reason) : undefined,
    });
  }
}

interface Entry {
  /** the profile as JSON: a changed profile gets a new pool */
  key: string;
  target: Promise<ServerTarget>;
  /** set once created, so health can be read synchronously (status bar) */
  resolved?: ServerTarget;
}
