// Bundles the CLI into dist/ with code splitting: each verb's dependencies
// (D-Bus, Docker) land in their own lazily loaded chunk, so `--help`,
// `--version`, `parse` and `convert` never load them.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

/**
 * dockerode loads gRPC (BuildKit sessions) and docker-modem loads ssh2
 * (ssh:// hosts) at require time; supctl's unix-socket calls use neither,
 * and loading them costs ~200 ms per command. They stay in node_modules and
 * are required on first use instead.
 */
const LAZY = /^(ssh2|@grpc\/grpc-js|@grpc\/proto-loader)$/;
const lazyRequire = {
  name: 'lazy-require',
  setup(b) {
    b.onResolve({ filter: LAZY }, (args) =>
      args.namespace === 'lazy-require'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy-require' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => {
      const id = JSON.stringify(args.path);
      const contents =
        args.path === 'ssh2'
          ? `let m; const load = () => (m ??= require(${id}));
             module.exports = { Client: function Client(...a) { return new (load().Client)(...a); } };`
          : `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require(${id}))[k] });`;
      return { contents, loader: 'js', resolveDir: process.cwd() };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify: true,
  keepNames: true,
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  // cpu-features is ssh2's optional native addon; never bundled.
  external: ['cpu-features'],
  plugins: [lazyRequire],
  metafile: true,
  logLevel: 'warning',
});
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
