/**
 * Neovim (Debian's 0.7, an LSP client without pull diagnostics) starts the bundled server
 * with `--stdio` on an examples file and reads the pushed diagnostics back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePrerequisite } from '../support/prerequisites';
import { ROOT } from './harness';

const NVIM = '/usr/bin/nvim';

describe('Neovim', { skip: requirePrerequisite(existsSync(NVIM), 'neovim not installed (apt-get install neovim)') }, () => {
  it('shows sqlperf diagnostics for an examples SQL file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlperf-nvim-'));
    const out = join(dir, 'diagnostics.json');
    const file = join(ROOT, 'examples', 'queries', 'search.sql');
    try {
      execFileSync(NVIM, ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', join(__dirname, 'neovim', 'init.lua'), file], {
        env: { ...process.env, SQLPERF_SERVER: join(ROOT, 'dist', 'server.js'), SQLPERF_NVIM_OUT: out, SQLPERF_ROOT: join(ROOT, 'examples'), XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
        timeout: 60_000,
        stdio: 'ignore',
      });
      const diags = JSON.parse(readFileSync(out, 'utf8')) as Array<{ line: number; col: number; code: string; message: string }>;
      assert.ok(diags.length > 0, 'no diagnostics arrived');
      const text = readFileSync(file, 'utf8').split('\n');
      const star = diags.find((d) => d.code === 'select-star');
      assert.ok(star, `no select-star among ${JSON.stringify(diags.map((d) => d.code))}`);
      assert.equal(text[star.line].slice(star.col, star.col + 1), '*');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
