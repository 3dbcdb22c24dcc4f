/**
 * Command line for the Zoom API simulator.
 *   node out/test/simulator/cli.js --port 8080 --seed 1 --entries 20000 --latency-ms 200 --rps 10 [--hostile] [--fault-rate 0.1] [--json]
 */
import { FAULT_KINDS, dataRange, startSimulator } from './index';
import type { FaultKind, Simulator, SimulatorOptions } from './index';

const USAGE = `Usage: node out/test/simulator/cli.js [options]

Starts a Zoom API simulator (GET /v2/report/operationlogs, POST /oauth/token) on 127.0.0.1.

Options:
  --port N            port to listen on (default 8080; 0 = random free port)
  --seed N            data and fault RNG seed (default 1)
  --entries N         number of generated entries over the last six months (default 2000)
  --hostile           mix XSS / CSV-injection / bidi / huge strings into the data
  --latency-ms N      delay added to every API response (default 0)
  --rps N             per-second limit of the report endpoint (default 10; 0 = unlimited)
  --daily-limit N     requests per UTC day before 429 Daily-limit (default 30000)
  --token-ttl N       OAuth access token lifetime in seconds (default 3600)
  --order O           newest-first (default) or jittered
  --now ISO|MS        initial simulator clock (default: the real time)
  --fault-rate P      fail each report request with probability P (default 0)
  --fault-kinds LIST  comma-separated kinds for --fault-rate (default 500,502,503,429,reset)
                      kinds: ${FAULT_KINDS.join(', ')}
  --retry-after V     Retry-After header value for fault 429s (default: none)
  --json              also print one JSON line with the URLs and credentials
  --help              print this help
`;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: string[]): {
  opts: SimulatorOptions;
  json: boolean;
  faultRate: number;
  faultKinds: FaultKind[];
  retryAfter?: string;
} {
  const opts: SimulatorOptions = { port: 8080 };
  let json = false;
  let faultRate = 0;
  let faultKinds: FaultKind[] = ['500', '502', '503', '429', 'reset'];
  let retryAfter: string | undefined;
  const num = (name: string, v: string | undefined): number => {
    if (v === undefined || v.trim() === '' || !Number.isFinite(Number(v))) fail(`${name} needs a number`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      case '--port':
        opts.port = num(flag, value());
        break;
      case '--seed':
        opts.seed = num(flag, value());
        break;
      case '--entries':
        opts.entries = num(flag, value());
        break;
      case '--latency-ms':
        opts.latencyMs = num(flag, value());
        break;
      case '--rps':
        opts.rps = num(flag, value());
        break;
      case '--daily-limit':
        opts.dailyLimit = num(flag, value());
        break;
      case '--token-ttl':
        opts.tokenTtlSeconds = num(flag, value());
        break;
      case '--hostile':
        opts.hostile = true;
        break;
      case '--json':
        json = true;
        break;
      case '--order': {
        const o = value();
        if (o !== 'newest-first' && o !== 'jittered') fail('--order must be newest-first or jittered');
        opts.order = o;
        break;
      }
      case '--now': {
        const v = value() ?? '';
        const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
        if (!Number.isFinite(ms)) fail('--now needs an ISO date or ms since epoch');
        opts.now = ms;
        break;
      }
      case '--fault-rate':
        faultRate = num(flag, value());
        break;
      case '--fault-kinds': {
        const kinds = (value() ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const k of kinds) if (!FAULT_KINDS.includes(k as FaultKind)) fail(`unknown fault kind ${k}`);
        faultKinds = kinds as FaultKind[];
        break;
      }
      case '--retry-after':
        retryAfter = value();
        break;
      default:
        fail(`unknown option ${arg}`);
    }
  }
  return { opts, json, faultRate, faultKinds, retryAfter };
}

async function main(): Promise<void> {
  const { opts, json, faultRate, faultKinds, retryAfter } = parseArgs(process.argv.slice(2));
  const running: { sim?: Simulator } = {};
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    if (!running.sim) process.exit(0);
    running.sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  const sim = (running.sim = await startSimulator(opts));
  if (faultRate > 0) sim.setFaultRate(faultRate, faultKinds, retryAfter !== undefined ? { retryAfter } : {});
  const range = dataRange(sim.data);
  const seed = opts.seed ?? 1;
  const lines = [
    'Zoom API simulator listening',
    `  API base URL:   ${sim.apiBaseUrl}`,
    `  OAuth base URL: ${sim.oauthBaseUrl}`,
    `  Demo token:     ${sim.token}`,
    `  Server-to-Server OAuth: account ID ${sim.s2s.accountId}, client ID ${sim.s2s.clientId}, client secret ${sim.s2s.clientSecret}`,
    `  Entries: ${sim.data.length} (seed ${seed})${range ? ` from ${range.from} to ${range.to}` : ''}`,
  ];
  if (faultRate > 0) lines.push(`  Faults: rate ${faultRate}, kinds ${faultKinds.join(',')}`);
  process.stdout.write(lines.join('\n') + '\n');
  if (json) {
    process.stdout.write(
      JSON.stringify({
        apiBaseUrl: sim.apiBaseUrl,
        oauthBaseUrl: sim.oauthBaseUrl,
        tokenUrl: `${sim.oauthBaseUrl}/oauth/token`,
        token: sim.token,
        accountId: sim.s2s.accountId,
        clientId: sim.s2s.clientId,
        clientSecret: sim.s2s.clientSecret,
        entries: sim.data.length,
        seed,
        from: range?.from ?? null,
        to: range?.to ?? null,
      }) + '\n',
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
