/**
 * `.sqlperf.json` at a workspace folder's root, read from disk and cached per folder until
 * the client reports a change to such a file. The CLI reads the same file, so the editor
 * and CI agree.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, parseConfigFile, type PartialSettings } from '../engine/settings';

export class ConfigFiles {
  private cache = new Map<string, Promise<PartialSettings>>();

  constructor(private readonly log: (message: string) => void) {}

  forFolder(folder: string): Promise<PartialSettings> {
    let entry = this.cache.get(folder);
    if (!entry) {
      entry = this.read(folder);
      this.cache.set(folder, entry);
    }
    return entry;
  }

  clear(): void {
    this.cache.clear();
  }

  private async read(folder: string): Promise<PartialSettings> {
    const file = path.join(folder, CONFIG_FILE_NAME);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.log(`sqlperf: cannot read ${file}: ${(e as Error).message}`);
      return {};
    }
    const { settings, problems } = parseConfigFile(text);
    // Keep what is valid: one typo must not throw away the rest of the file.
    for (const p of problems) this.log(`sqlperf: ${file}: ${p}`);
    return settings;
  }
}

export function isConfigFileUri(uri: string): boolean {
  return uri.endsWith(`/${CONFIG_FILE_NAME}`) || uri.endsWith(`\\${CONFIG_FILE_NAME}`);
}
