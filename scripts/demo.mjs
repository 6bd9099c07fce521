// `npm run demo`: sqlperf check on the examples workspace. The CLI exits 1 when a finding
// has severity error (as it should in CI); the demo says so instead of failing the command.
import { spawnSync } from 'node:child_process';

const r = spawnSync(process.execPath, ['dist/cli.js', 'check', 'examples'], { stdio: 'inherit' });
if (r.status === 1) {
  console.log('\n(`sqlperf check` exits 1 here because examples/ has an error-severity finding: in CI that fails the build.)');
} else if (r.status !== 0) {
  process.exit(r.status ?? 2);
}
