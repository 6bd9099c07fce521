/**
 * PoolRegistry, loaded on first use: node-postgres is not needed to activate the extension
 * (most sessions never connect), so its module is imported when the first target is asked for.
 */
import type { ConnectionProfile, PoolRegistry, PoolRegistryOptions, QueryTarget, SecretSource } from '../db';
import type { TargetRegistry } from './core';

export class LazyPoolRegistry implements TargetRegistry {
  private registry: Promise<PoolRegistry> | undefined;

  constructor(
    private readonly secrets: SecretSource,
    private readonly options: PoolRegistryOptions = {},
  ) {}

  async target(profile: ConnectionProfile): Promise<QueryTarget> {
    return (await this.load()).target(profile);
  }

  /** Closes a profile's pool (password changed, profile edited or removed); nothing when none was made. */
  async forget(profileName: string): Promise<void> {
    if (this.registry) await (await this.registry).forget(profileName);
  }

  async closeAll(): Promise<void> {
    if (this.registry) await (await this.registry).closeAll();
  }

  private load(): Promise<PoolRegistry> {
    this.registry ??= import('../db/pools').then((m) => new m.PoolRegistry(this.secrets, this.options));
    return this.registry;
  }
}
