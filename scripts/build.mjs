// Bundles the CLI into dist/ with code splitting: each verb's dependencies
// (D-Bus, Docker) land in their own lazily loaded chunk.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

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
  // Backends' heavy dependencies stay in node_modules and are imported lazily
  // by the verbs that need them (never by --help / --version / parse).
  external: ['@jellybrick/dbus-next', 'dockerode'],
  metafile: true,
  logLevel: 'warning',
});
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
