import { ConfigError, loadConfig, USAGE } from './config.js';
import { startServer } from './server.js';
import { SchemaTooNewError } from './storage/migrations.js';

let config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (err instanceof ConfigError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`treff: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw err;
}
if (config === 'help') {
  console.log(USAGE);
  process.exit(0);
}

let server;
try {
  server = await startServer(config);
} catch (err) {
  // A data file from a newer release must not be touched, and saying so beats a stack trace.
  if (err instanceof SchemaTooNewError) {
    console.error(`treff: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
console.log(`\n  Treff is running: open ${server.url}/ in your browser\n  (media on UDP port ${server.rtcPort})\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
