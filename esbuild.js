// Builds the extension bundle (dist/extension.js), the webview page script
// (media/entryView.js) and, with --tests, the test, simulator and benchmark
// programs (out/). Type checking is separate: `npm run typecheck`.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/** Prints errors in the shape of the `$esbuild-watch` problem matcher. */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? listFiles(p, suffix) : p.endsWith(suffix) ? [p] : [];
  });
}

/**
 * node-fetch (and the stream polyfills it brings) is ~30 KB that only the first request needs:
 * the extension bundle leaves `import('node-fetch')` to `require('./fetch.js')`, a bundle of its
 * own beside it, so activation loads none of it.
 */
const lazyFetch = {
  name: 'lazy-node-fetch',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: './fetch.js', external: true }));
  },
};
const webStreamsShim = { 'web-streams-polyfill/dist/ponyfill.es2018.js': './scripts/shims/web-streams-polyfill.js' };

/**
 * In the extension bundle, a loader module's `require('../<core>')` stays a require of ./<core>.js, a bundle of
 * its own (below), read on first use: activation neither reads nor parses that core.
 * (src/services/insights.ts -> dist/insights.js, src/services/archiveCore.ts -> dist/archive.js.)
 */
function lazyCore(core, loader) {
  const filter = new RegExp(`^\\.\\./${core}$`);
  return {
    name: `lazy-${core}`,
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.importer.endsWith(path.join('src', 'services', loader))
          ? { path: `./${core}.js`, external: true }
          : undefined,
      );
    },
  };
}
const lazyInsights = lazyCore('insights', 'insights.ts');
const lazyArchive = lazyCore('archive', 'archiveCore.ts');
/** A loader's `require(request)` stays a require of ./<out>, a bundle of its own (as lazyCore does). */
function lazyModule(request, loader, out) {
  const filter = new RegExp(`^${request.replace(/[./]/g, '\\$&')}$`);
  return {
    name: `lazy-${out}`,
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.importer.endsWith(path.join('src', 'services', loader)) ? { path: `./${out}`, external: true } : undefined,
      );
    },
  };
}
/** src/services/panels.ts -> dist/panels.js: the webview panels (`../webview` is src/webview/index.ts). */
const lazyPanels = lazyModule('../webview', 'panels.ts', 'panels.js');
/** src/services/setupCore.ts -> dist/setup.js: Zoom: Check Setup's core. */
const lazySetup = lazyModule('../zoom/setupCheck', 'setupCore.ts', 'setup.js');
/** src/services/output.ts -> dist/output.js: where an export goes (`../output` is src/output/index.ts). */
const lazyOutput = lazyModule('../output', 'output.ts', 'output.js');

/** A plain-Node core bundled on its own for the extension to require on first use. */
function coreBundle(core) {
  return {
    entryPoints: [`src/${core}/index.ts`],
    outfile: `dist/${core}.js`,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    plugins: watch ? [problemMatcher] : [],
  };
}

/** A webview page's script (src/webview/page/<name>.ts -> media/<name>.js), run in the webview, not in Node. */
function pageBundle(name) {
  return {
    entryPoints: [`src/webview/page/${name}.ts`],
    outfile: `media/${name}.js`,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: production,
    sourcemap: false,
    logLevel: 'warning',
    plugins: watch ? [problemMatcher] : [],
  };
}

/** @type {import('esbuild').BuildOptions[]} */
const configs = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    alias: webStreamsShim,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    metafile: true,
    plugins: watch
      ? [problemMatcher, lazyFetch, lazyInsights, lazyArchive, lazyPanels, lazySetup, lazyOutput]
      : [lazyFetch, lazyInsights, lazyArchive, lazyPanels, lazySetup, lazyOutput],
  },
  {
    // Zoom: Check Setup's core, loaded on its first run (src/services/setupCore.ts); node-fetch stays dist/fetch.js.
    ...coreBundle('zoom'),
    entryPoints: ['src/zoom/setupCheck.ts'],
    outfile: 'dist/setup.js',
    plugins: watch ? [problemMatcher, lazyFetch] : [lazyFetch],
  },
  {
    // The webview panels, loaded by dist/extension.js when an entry or the overview first opens
    // (src/services/panels.ts). `vscode` is the host's; insights stays dist/insights.js, shared.
    ...coreBundle('webview'),
    outfile: 'dist/panels.js',
    external: ['vscode'],
    plugins: watch ? [problemMatcher, lazyInsights] : [lazyInsights],
  },
  {
    // Where an export goes (an editor tab or a file), loaded by dist/extension.js on the first export
    // (src/services/output.ts). `vscode` is the host's; the archive core it writes with stays dist/archive.js.
    ...coreBundle('output'),
    external: ['vscode'],
    plugins: watch ? [problemMatcher, lazyArchive] : [lazyArchive],
  },
  // The insights and archive cores, loaded by dist/extension.js on first use (src/services/insights.ts, archiveCore.ts).
  coreBundle('insights'),
  coreBundle('archive'),
  {
    // node-fetch for the extension, loaded on the first request (see lazyFetch).
    entryPoints: ['scripts/shims/fetch-entry.js'],
    outfile: 'dist/fetch.js',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    alias: webStreamsShim,
    minify: production,
    sourcemap: false,
    logLevel: 'warning',
  },
  pageBundle('entryView'),
  // The activity overview's page: loaded only when the overview opens.
  pageBundle('overview'),
];

if (tests) {
  const entryPoints = [
    ...listFiles('test/unit', '.test.ts'),
    ...listFiles('test/archive', '.ts'),
    ...listFiles('test/integration', '.ts'),
    ...listFiles('test/host', '.ts'),
    ...listFiles('test/e2e', '.ts'),
    'test/simulator/cli.ts',
    ...listFiles('bench', '.ts'),
  ].filter((f) => fs.existsSync(f));
  configs.push({
    entryPoints,
    outdir: 'out',
    outbase: '.',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

async function main() {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (production && results[0].metafile) {
    const bytes = fs.statSync('dist/extension.js').size;
    console.log(`dist/extension.js ${(bytes / 1024).toFixed(1)} KB`);
    if (process.env.BUNDLE_REPORT) fs.writeFileSync(process.env.BUNDLE_REPORT, JSON.stringify(results[0].metafile));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
