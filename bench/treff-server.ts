// The Treff server as a child process of the benchmark, so that its CPU time is its own
// (/proc/<pid>/stat) and not mixed with the bots'. Prints one JSON line {url} when listening.
// TREFF_BENCH_HOST: the address for HTTP and media (the benchmark's namespace address when it
// compares with Janus; 127.0.0.1 otherwise).

import { startServer } from '@treff/server';

const host = process.env.TREFF_BENCH_HOST ?? '127.0.0.1';
const server = await startServer({
  port: Number(process.env.TREFF_BENCH_PORT ?? 0),
  host,
  rtcPort: 0,
  iceAddress: host,
  dataDir: null,
  logLevel: 'warn',
  webRoot: '/nonexistent/treff-web', // the benchmark needs no web app
  // Forward every publisher's audio to everyone, as Janus's VideoRoom does: both servers then
  // forward the same packets (with the default top 3, rooms of 4+ publishers would forward less).
  audioTopN: 1000,
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = (): void => {
  // The SFU's native threads keep the process alive; exit explicitly.
  void server.close().finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
