#!/usr/bin/env node
// Runs node's test runner over one suite: `unit` (tests beside the code) or `integration` (tests/integration).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suite = process.argv[2] ?? 'unit';
const roots = suite === 'unit' ? ['packages', 'apps', 'tools'] : [join('tests', suite)];
const files = roots.flatMap((root) => {
  try {
    return readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts') && !f.includes('node_modules'))
      .map((f) => join(root, f));
  } catch {
    return [];
  }
}).sort();
if (files.length === 0) {
  console.error(`no ${suite} tests found`);
  process.exit(1);
}
const extra = suite === 'unit' ? [] : ['--test-concurrency=1'];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...extra, ...process.argv.slice(3), ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
