/**
 * Where passwords come from. The extension passes an adapter over VS Code SecretStorage; the
 * CLI and tests pass a map. Nothing in src/db reads passwords from settings.
 */
export interface SecretSource {
  getPassword(profileName: string): Promise<string | undefined>;
}

export function memorySecrets(passwords: Record<string, string> = {}): SecretSource {
  return { getPassword: async (name) => passwords[name] };
}

export const noSecrets: SecretSource = { getPassword: async () => undefined };
