/**
 * Command line for the Zoom API simulator.
 *   node out/test/simulator/cli.js --port 8080 --seed 1 --entries 20000 --latency-ms 200 --rps 10 [--hostile] [--fault-rate 0.1] [--json]
 *   (see --help for the OAuth, horizon, rate-limit-header and account options)
 */
import {
  DISABLED_CLIENT_ID,
  FAULT_KINDS,
  NO_PERMISSION_CLIENT_ID,
  NO_PERMISSION_TOKEN,
  NO_SCOPE_CLIENT_ID,
  NO_SCOPE_TOKEN,
  dataRange,
  startSimulator,
} from './index';
import type { AccountOptions, FaultKind, Simulator, SimulatorOptions } from './index';

const USAGE = `Usage: node out/test/simulator/cli.js [options]

Starts a Zoom API simulator (GET /v2/report/operationlogs, POST /oauth/token) on 127.0.0.1.
Every behaviour (status codes, error bodies, check order) is specified in the header comment of
test/simulator/index.ts. The data mixes the real shapes of Zoom's entries (two spaces before " - ",
trailing spaces, "set to", JSON arrays, SCIM API - Update, User Group / Channels, operators such as
System) and, from 100 entries on, every example line of the notes verbatim.

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
  --fault-kinds LIST  comma-separated kinds for --fault-rate (default 500,502,503,429,429-bare,reset)
                      kinds: ${FAULT_KINDS.join(', ')}
  --retry-after V     Retry-After header value for fault 429s (default: none); 429-bare never has one
  --oauth-error-style S  reason (default: {"reason","error"} as Zoom answers today) or numeric
                      (the older {"code","message","reason","error"})
  --oauth-require-body   read grant_type/account_id only from the form body (query-only requests get 400)
  --api-url URL       api_url in the token response (default: the simulator's own origin)
  --horizon-style S   how a from date beyond the horizon is refused: http300 (default: HTTP 300,
                      empty text/plain), code300 (400 {"code":300,...}) or none
  --horizon-days N    horizon = today minus N days (default: 6 calendar months)
  --horizon-months N  horizon = today minus N calendar months (default 6)
  --rate-limit-headers  200 responses carry X-RateLimit-Category/-Type/-Limit/-Remaining (daily figures)
  --account ID[:SEED[:ENTRIES]]  add an account (repeatable); with any, the first one replaces the
                      default account. Each is served at /acc/ID/v2/... and /acc/ID/oauth/token (the
                      first also at /v2/... and /oauth/token); a token of another account gets 401
  --json              also print one JSON line with the URLs and credentials
  --help              print this help

Special credentials (account 0, printed on start):
  bearer ${NO_SCOPE_TOKEN}       lacks the scope: 400 {"code":4711,"message":"Invalid access token, does not contain scopes:[report:read:admin]"}
  bearer ${NO_PERMISSION_TOKEN}  lacks the permission: 400 {"code":200,"message":"No permission."}
  client ID ${NO_SCOPE_CLIENT_ID} / ${NO_PERMISSION_CLIENT_ID} (default secret): issue such tokens
  client ID ${DISABLED_CLIENT_ID} (default secret): 401 {"code":4717,"reason":"The app has been disabled",...}
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
  const accounts: AccountOptions[] = [];
  let json = false;
  let faultRate = 0;
  let faultKinds: FaultKind[] = ['500', '502', '503', '429', '429-bare', 'reset'];
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
      case '--oauth-error-style': {
        const v = value();
        if (v !== 'reason' && v !== 'numeric') fail('--oauth-error-style must be reason or numeric');
        opts.oauthErrorStyle = v;
        break;
      }
      case '--oauth-require-body':
        opts.oauthRequireBody = true;
        break;
      case '--api-url': {
        const v = value() ?? '';
        if (!/^https?:\/\/[^\s]+$/.test(v)) fail('--api-url needs an http(s) URL');
        opts.apiUrl = v;
        break;
      }
      case '--horizon-style': {
        const v = value();
        if (v !== 'http300' && v !== 'code300' && v !== 'none') {
          fail('--horizon-style must be http300, code300 or none');
        }
        opts.horizonStyle = v;
        break;
      }
      case '--horizon-days':
        opts.horizonDays = num(flag, value());
        break;
      case '--horizon-months':
        opts.horizonMonths = num(flag, value());
        break;
      case '--rate-limit-headers':
        opts.rateLimitHeaders = true;
        break;
      case '--account': {
        const [id, seed, entries] = (value() ?? '').split(':');
        if (!id || !/^[A-Za-z0-9_-]+$/.test(id)) {
          fail('--account needs ID[:SEED[:ENTRIES]] with ID of letters, digits, - or _');
        }
        accounts.push({
          id,
          ...(seed ? { seed: num('--account SEED', seed) } : {}),
          ...(entries ? { entries: num('--account ENTRIES', entries) } : {}),
        });
        break;
      }
      default:
        fail(`unknown option ${arg}`);
    }
  }
  if (accounts.length) {
    accounts[0] = {
      seed: opts.seed,
      entries: opts.entries,
      hostile: opts.hostile,
      apiUrl: opts.apiUrl,
      ...accounts[0],
    };
    opts.accounts = accounts;
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
  const seed = opts.accounts?.[0]?.seed ?? opts.seed ?? 1;
  const lines = [
    'Zoom API simulator listening',
    `  API base URL:   ${sim.apiBaseUrl}`,
    `  OAuth base URL: ${sim.oauthBaseUrl}`,
    `  Demo token:     ${sim.token}`,
    `  Server-to-Server OAuth: account ID ${sim.s2s.accountId}, client ID ${sim.s2s.clientId}, client secret ${sim.s2s.clientSecret}`,
    `  Entries: ${sim.data.length} (seed ${seed})${range ? ` from ${range.from} to ${range.to}` : ''}`,
    `  Token without the report scope (400 code 4711): ${NO_SCOPE_TOKEN}; client ID issuing such tokens: ${NO_SCOPE_CLIENT_ID}`,
    `  Token without the permission (400 code 200):    ${NO_PERMISSION_TOKEN}; client ID issuing such tokens: ${NO_PERMISSION_CLIENT_ID}`,
    `  Disabled app (OAuth 401 code 4717): client ID ${DISABLED_CLIENT_ID} (same secret)`,
  ];
  for (const a of sim.accounts.slice(1)) {
    const r = dataRange(a.data);
    lines.push(
      `  Account ${a.id}: API base URL ${a.apiBaseUrl}, OAuth base URL ${a.oauthBaseUrl}, demo token ${a.token}`,
      `    Server-to-Server OAuth: account ID ${a.s2s.accountId}, client ID ${a.s2s.clientId}, client secret ${a.s2s.clientSecret}`,
      `    Entries: ${a.data.length}${r ? ` from ${r.from} to ${r.to}` : ''}`,
    );
  }
  if (sim.accounts.length > 1) {
    lines.push(`  (account ${sim.accounts[0].id} is also at ${sim.oauthBaseUrl}/acc/${sim.accounts[0].id})`);
  }
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
        noScopeToken: NO_SCOPE_TOKEN,
        noPermissionToken: NO_PERMISSION_TOKEN,
        noScopeClientId: NO_SCOPE_CLIENT_ID,
        noPermissionClientId: NO_PERMISSION_CLIENT_ID,
        disabledClientId: DISABLED_CLIENT_ID,
        accounts: sim.accounts.map((a) => ({
          id: a.id,
          apiBaseUrl: a.apiBaseUrl,
          oauthBaseUrl: a.oauthBaseUrl,
          tokenUrl: `${a.oauthBaseUrl}/oauth/token`,
          token: a.token,
          ...a.s2s,
          entries: a.data.length,
        })),
      }) + '\n',
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
