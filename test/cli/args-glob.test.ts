/** The CLI's pure parts: argument parsing and the exclude glob matcher. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args';
import { compileGlobs, globToRegExp } from '../../src/cli/glob';

describe('parseArgs', () => {
  it('defaults to text output on the current directory', () => {
    assert.deepEqual(parseArgs(['check']), { kind: 'check', options: { paths: ['.'], format: 'text' } });
  });

  it('reads options in both --name value and --name=value forms, anywhere', () => {
    assert.deepEqual(parseArgs(['check', 'a.sql', '--format=sarif', 'dir', '--config', 'c.json', '--dialect', 'MySQL', '--max-warnings', '0']), {
      kind: 'check',
      options: { paths: ['a.sql', 'dir'], format: 'sarif', config: 'c.json', dialect: 'mysql', maxWarnings: 0 },
    });
  });

  it('treats everything after -- as paths', () => {
    const cmd = parseArgs(['check', '--', '--weird-name.sql']);
    assert.equal(cmd.kind, 'check');
    assert.deepEqual(cmd.kind === 'check' && cmd.options.paths, ['--weird-name.sql']);
  });

  it('reports usage errors', () => {
    for (const argv of [[], ['nope'], ['--nope'], ['check', '-x'], ['check', '--format', 'html'], ['check', '--config'], ['check', '--max-warnings', '-1'], ['check', '--max-warnings=1.5']]) {
      assert.equal(parseArgs(argv).kind, 'usage-error', argv.join(' '));
    }
  });

  it('knows help and version', () => {
    assert.equal(parseArgs(['--help']).kind, 'help');
    assert.equal(parseArgs(['check', '-h']).kind, 'help');
    assert.equal(parseArgs(['--version']).kind, 'version');
  });
});

describe('glob matcher', () => {
  const cases: Array<[string, string, boolean]> = [
    ['**/node_modules/**', 'node_modules', true],
    ['**/node_modules/**', 'node_modules/pg/a.js', true],
    ['**/node_modules/**', 'app/node_modules/pg/a.js', true],
    ['**/node_modules/**', 'app/my_node_modules/a.js', false],
    ['**/dist/**', 'dist/', true],
    ['**/dist/**', 'distance.sql', false],
    ['dist/**', 'dist/cli.js', true],
    ['dist/**', 'src/dist/cli.js', false],
    ['*.gen.sql', 'a/b/x.gen.sql', true],
    ['*.gen.sql', 'x.sql', false],
    ['migrations/*.sql', 'migrations/001.sql', true],
    ['migrations/*.sql', 'migrations/old/001.sql', false],
    ['migrations/**/*.sql', 'migrations/old/001.sql', true],
    ['migrations/**/*.sql', 'migrations/001.sql', true],
    ['**/*.{ts,js}', 'src/a.js', true],
    ['**/*.{ts,js}', 'src/a.py', false],
    ['file?.sql', 'file1.sql', true],
    ['file[0-9].sql', 'file7.sql', true],
    ['file[!0-9].sql', 'file7.sql', false],
    ['./build/**', 'build/x', true],
    ['a+b(c).sql', 'a+b(c).sql', true],
  ];
  for (const [pattern, path, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(globToRegExp(pattern).test(path), expected, String(globToRegExp(pattern)));
    });
  }

  it('compileGlobs matches any pattern and ignores blanks', () => {
    const m = compileGlobs(['', 'x/**', '*.tmp']);
    assert.ok(m('x/y'));
    assert.ok(m('a/b.tmp'));
    assert.ok(!m('a/b.sql'));
  });
});
