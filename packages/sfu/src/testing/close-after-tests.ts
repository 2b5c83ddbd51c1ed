import { after } from 'node:test';
import type { Sfu } from '../sfu.js';

/**
 * Closes `sfu` once the file's tests are done, then ends the process. node-datachannel's `cleanup()` crashed
 * these files with SIGSEGV when run beside other test processes (3 runs in 5), while native closes were still
 * in flight; without it the library's threads keep the process alive. So, as the integration tests do, the
 * process exits (with the runner's exit code) once its report is written.
 */
export function closeAfterTests(sfu: Sfu): void {
  after(() => {
    sfu.close();
    setTimeout(() => process.exit(), 200).unref();
  });
}
