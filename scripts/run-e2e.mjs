#!/usr/bin/env node
// Browser end-to-end tests: builds the web app when its bundle is missing or older than its sources, then
// runs tests/e2e/*.test.ts with node's test runner inside a private network namespace whose only interface
// is loopback, so the server, Chromium and Firefox gather and use 127.0.0.1 candidates only
// (see ../shared/guides/browser-testing.md).
//
//   node scripts/run-e2e.mjs [node --test options] [test files]
//   e.g. node scripts/run-e2e.mjs --test-name-pattern=404
//
// Needs root (or CAP_SYS_ADMIN) for `unshare -n`; CI runs as root. TREFF_E2E_BUILD=0 skips the build check.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

const passthrough = process.argv.slice(2).filter((a) => a.startsWith('-'));
let files = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (files.length === 0) {
  files = existsSync('tests/e2e')
    ? readdirSync('tests/e2e').filter((f) => f.endsWith('.test.ts')).sort().map((f) => join('tests/e2e', f))
    : [];
}
if (files.length === 0) {
  console.error('run-e2e: no tests/e2e/*.test.ts found');
  process.exit(1);
}

// 1. A private network namespace needs root (or CAP_SYS_ADMIN); say so plainly instead of failing later.
const probe = spawnSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  const why = probe.error
    ? `${probe.error.message}${probe.error.code === 'ENOENT' ? ' (install util-linux for unshare)' : ''}`
    : (probe.stderr || `exit status ${probe.status}`).trim();
  console.error(
    'run-e2e: cannot create a private network namespace with `unshare -n` and configure loopback with `ip`.\n' +
      `  ${why}\n` +
      '  The browser tests keep all media on loopback inside a network namespace, which needs root\n' +
      '  (or CAP_SYS_ADMIN) plus util-linux (unshare) and iproute2 (ip). Run as root, e.g. `sudo npm run test:e2e`.',
  );
  process.exit(1);
}

// 2. Build the web app when dist/ is missing or older than any source that goes into it.
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath ?? entry.path, entry.name);
    if (full.includes('node_modules') || full.includes(`${join('apps', 'web', 'dist')}`)) continue;
    newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

if (process.env.TREFF_E2E_BUILD !== '0') {
  const built = 'apps/web/dist/index.html';
  const sources = ['apps/web/src', 'apps/web/public', 'packages/client/src', 'packages/protocol/src'];
  const configs = ['apps/web/index.html', 'apps/web/vite.config.ts', 'apps/web/vite.config.js', 'apps/web/package.json']
    .filter((f) => existsSync(f))
    .map((f) => statSync(f).mtimeMs);
  const sourceTime = Math.max(0, ...configs, ...sources.map(newestMtime));
  const builtTime = existsSync(built) ? statSync(built).mtimeMs : -1;
  if (builtTime < sourceTime) {
    console.log(`run-e2e: building the web app (${builtTime < 0 ? 'no bundle yet' : 'bundle older than its sources'})`);
    const build = spawnSync('npm', ['run', 'build', '-w', '@treff/web'], { stdio: 'inherit' });
    if (build.status !== 0) {
      console.error(`run-e2e: web app build failed (exit ${build.status ?? build.signal})`);
      process.exit(1);
    }
  }
}

// 3. Run node's test runner inside the namespace; its summary lines are the last thing printed.
const inner = 'ip link set lo up && ip route add default dev lo src 127.0.0.1 && exec "$0" "$@"';
const args = ['-n', 'sh', '-c', inner, process.execPath, '--import', 'tsx', '--test', '--test-concurrency=1',
  // Exit when the tests are done even if a failed test left a handle open (a browser, a socket).
  '--test-force-exit', ...passthrough,
  ...files.map((f) => relative(root, f) || f)];
const child = spawn('unshare', args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
