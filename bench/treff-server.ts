// The Treff server as a child process of the benchmark, so that its CPU time is its own
// (/proc/<pid>/stat) and not mixed with the bots'. Prints one JSON line {url} when listening.

import { startServer } from '@treff/server';

const server = await startServer({
  port: Number(process.env.TREFF_BENCH_PORT ?? 0),
  host: '127.0.0.1',
  rtcPort: 0,
  iceAddress: '127.0.0.1',
  dataDir: null,
  logLevel: 'warn',
  webRoot: '/nonexistent/treff-web', // the benchmark needs no web app
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = (): void => {
  // The SFU's native threads keep the process alive; exit explicitly.
  void server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
