// The operator's command line: talks to a running Treff server's operator API (/api/admin/…).
//
//   TREFF_OPERATOR_SECRET=… npm run admin -- reports [--all]
//   TREFF_OPERATOR_SECRET=… npm run admin -- close-report <reportId>
//   TREFF_OPERATOR_SECRET=… npm run admin -- block-room <roomId>

import { parseArgs } from 'node:util';
import type { ApiError, ReportInfo, ReportsResponse } from '@treff/protocol';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  reports [--all]          list open reports (--all: closed ones too)
  close-report <id>        mark a report as dealt with
  block-room <roomId>      end the room's meeting and block its link for good

Options:
  --url <origin>           the server (default $TREFF_URL or http://localhost:8080)
  --json                   print the server's answer as JSON
  -h, --help               show this help

An id that starts with '-' (made before ids stopped doing so) goes after '--': close-report -- -x1Y2.

The operator secret is read from TREFF_OPERATOR_SECRET (never from a flag: flags show up in the
process list). The server must be started with the same secret.
`;

class CliError extends Error {}

async function call(url: string, secret: string, method: 'GET' | 'POST', path: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(new URL(path, url), { method, headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new CliError(`cannot reach ${url}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  if (res.ok) return JSON.parse(text) as unknown;
  let message = text;
  try {
    message = (JSON.parse(text) as ApiError).message;
  } catch {
    // not JSON: show it as it came
  }
  // Without an operator secret the server registers no operator API: the catch-all 404 answers.
  if (res.status === 404 && message.startsWith('no such endpoint')) throw new CliError('the server has no operator API: start it with TREFF_OPERATOR_SECRET set');
  if (res.status === 401 || res.status === 403) throw new CliError(`the server refused the operator secret (HTTP ${res.status})`);
  throw new CliError(`HTTP ${res.status}: ${message}`);
}

function formatReport(r: ReportInfo): string {
  const lines = [
    `${r.id}  ${new Date(r.createdAt).toISOString()}  ${r.reason}${r.closedAt === null ? '' : `  (closed ${new Date(r.closedAt).toISOString()})`}`,
    `  room ${r.roomId}${r.currentRoomId === r.roomId ? '' : ` (now ${r.currentRoomId})`}, ${r.participantCount} present${r.displayNames.length > 0 ? `: ${r.displayNames.join(', ')}` : ''}`,
  ];
  if (r.text !== '') lines.push(`  "${r.text.replace(/\s+/g, ' ')}"`);
  return lines.join('\n');
}

async function main(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, arg, ...extra] = positionals;
  if (values.help || command === undefined) {
    print(USAGE);
    return values.help ? 0 : 2;
  }
  const url = values.url ?? env.TREFF_URL ?? 'http://localhost:8080';
  const secret = env.TREFF_OPERATOR_SECRET;
  if (secret === undefined || secret === '') throw new CliError('set TREFF_OPERATOR_SECRET to the server’s operator secret');
  const needsArg = command === 'close-report' || command === 'block-room';
  if ((needsArg && (arg === undefined || extra.length > 0)) || (!needsArg && arg !== undefined)) throw new CliError(`wrong arguments for "${command}"\n\n${USAGE}`);

  switch (command) {
    case 'reports': {
      const body = (await call(url, secret, 'GET', `/api/admin/reports?status=${values.all ? 'all' : 'open'}`)) as ReportsResponse;
      if (values.json) print(JSON.stringify(body, null, 2));
      else if (body.reports.length === 0) print(values.all ? 'no reports' : 'no open reports');
      else for (const report of body.reports) print(formatReport(report));
      return 0;
    }
    case 'close-report':
      await call(url, secret, 'POST', `/api/admin/reports/${encodeURIComponent(arg!)}/close`);
      print(values.json ? JSON.stringify({ closed: arg }) : `report ${arg} closed`);
      return 0;
    case 'block-room': {
      const body = (await call(url, secret, 'POST', `/api/admin/rooms/${encodeURIComponent(arg!)}/block`)) as { endedMeeting: boolean };
      print(values.json ? JSON.stringify(body) : `room ${arg} blocked${body.endedMeeting ? '; its meeting was ended' : ''}`);
      return 0;
    }
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2), process.env, (line) => console.log(line));
} catch (err) {
  if (err instanceof CliError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`treff admin: ${err.message}`);
    process.exitCode = 2;
  } else throw err;
}
