/**
 * "Test Connection": one round trip on a fresh, private connection (not the shared pool),
 * so testing a profile that is not saved yet, or whose password just changed, tells the
 * truth and leaves nothing behind.
 */
import { resolveConnectionConfig, type ConnectionProfile } from '../db/profiles';
import type { SecretSource } from '../db/secrets';
import { ServerTarget } from '../db/server-target';

export interface ProbeResult {
  /** "user@host:port/db" */
  description: string;
  /** the server's `server_version`, e.g. "15.20 (Debian 15.20-0+deb12u1)" */
  version: string;
}

/** Connects with `profile` and asks the server its version. Throws a DbError. */
export async function probeProfile(profile: ConnectionProfile, secrets: SecretSource, env: Record<string, string | undefined> = process.env): Promise<ProbeResult> {
  const resolved = await resolveConnectionConfig(profile, secrets, env);
  const target = new ServerTarget(resolved, { max: 1, profileName: profile.name, idleTimeoutMillis: 1000 });
  try {
    const r = await target.withSession((s) => s.query("SELECT current_setting('server_version') AS v"));
    return { description: target.description, version: String(r.rows[0]?.v ?? '?') };
  } finally {
    await target.close().catch(() => undefined);
  }
}
