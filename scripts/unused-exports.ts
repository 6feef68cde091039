/**
 * Lists every export under src/ that no other file under src/ uses (an
 * import, a namespace member, a destructured dynamic import). Of the tests,
 * only the module's own unit tests count (test/ mirrors src/: a test in
 * test/D/ may use what src/D/ and its subfolders export); an export kept for
 * any other test is dead code. Re-exporting a name is not a use of it; importing the
 * re-export is a use of both.
 *
 *   node --import tsx scripts/unused-exports.ts     exits 1 and lists them when there are any
 *
 * Run by `make lint`. ALLOWED names the exports that are used from outside
 * src/ on purpose (entry points, documented contracts).
 */
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = resolve(ROOT, 'src') + '/';
const TEST = resolve(ROOT, 'test') + '/';

/** A use from `user` counts for an export of `module`: src/ code, or the module's own unit tests. */
function counts(user: string, module: string): boolean {
  if (user === module) return false;
  if (user.startsWith(SRC)) return true;
  if (!user.startsWith(TEST)) return false;
  const testDir = dirname(user).slice(TEST.length) + '/';
  return (dirname(module).slice(SRC.length) + '/').startsWith(testDir);
}

/** `file: name` of exports used from outside src/ on purpose. */
const ALLOWED = new Set([
  // the entry point bin/supctl runs (through dist/main.js)
  'src/cli/main.ts: main',
  // the documented contract of `supctl parse --json` (shared/reference/parse-json.md)
  'src/config/json.ts: ParseJson',
  'src/config/json.ts: ParseJsonGroup',
  'src/config/json.ts: ParseJsonProcess',

  // the registries' extension points: a backend or target folder registers through them
  'src/control/backends.ts: registerBackend',
  'src/control/backends.ts: BackendContext',
  'src/emit/targets.ts: registerTarget',
  'src/emit/targets.ts: EmitTarget',
  'src/emit/targets.ts: TargetContext',
  'src/emit/targets.ts: TargetOption',
  'src/emit/targets.ts: TargetEntry',
  // what a registered module exports; the registry's load() imports it lazily
  'src/control/systemd/open.ts: open',
  'src/control/docker/open.ts: open',
  'src/control/supervisord/open.ts: open',
  'src/control/swarm/open.ts: open',
]);

function program(): ts.Program {
  const path = ts.findConfigFile(ROOT, (f) => ts.sys.fileExists(f), 'tsconfig.json');
  if (path === undefined) throw new Error('no tsconfig.json');
  const config: unknown = ts.readConfigFile(path, (f) => ts.sys.readFile(f)).config;
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const roots = parsed.fileNames.filter((f) => f.startsWith(SRC) || f.startsWith(TEST));
  return ts.createProgram(roots, parsed.options);
}

function isInSrc(sf: ts.SourceFile): boolean {
  return sf.fileName.startsWith(SRC) && !sf.isDeclarationFile;
}

function isInTest(sf: ts.SourceFile): boolean {
  return sf.fileName.startsWith(TEST) && !sf.isDeclarationFile;
}

/** A re-export (`export { x } from`, `export { x }`) names a symbol without using it. */
function inExportDeclaration(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n !== undefined; n = n.parent) {
    if (ts.isExportDeclaration(n)) return true;
    if (ts.isStatement(n)) return false;
  }
  return false;
}

function immediateAlias(checker: ts.TypeChecker, s: ts.Symbol): ts.Symbol | undefined {
  // symbols of external modules (`default` of a CommonJS package) have no alias declaration
  if (s.declarations === undefined || s.declarations.length === 0) return undefined;
  return checker.getImmediateAliasedSymbol(s);
}

/** Marks `s` and every alias hop behind it (import → re-export → declaration). */
function markChain(checker: ts.TypeChecker, used: Set<ts.Symbol>, start: ts.Symbol): void {
  let s: ts.Symbol | undefined = start;
  for (let hops = 0; s !== undefined && hops < 20; hops++) {
    if (used.has(s) && hops > 0) return;
    used.add(s);
    s = s.flags & ts.SymbolFlags.Alias ? immediateAlias(checker, s) : undefined;
  }
}

function usedSymbols(p: ts.Program, checker: ts.TypeChecker): Map<ts.Symbol, Set<string>> {
  // symbol → files that use it
  const users = new Map<ts.Symbol, Set<string>>();
  for (const sf of p.getSourceFiles()) {
    if (!isInSrc(sf) && !isInTest(sf)) continue;
    const mark = (s: ts.Symbol | undefined): void => {
      if (s === undefined) return;
      const chain = new Set<ts.Symbol>();
      markChain(checker, chain, s);
      for (const c of chain) {
        let set = users.get(c);
        if (set === undefined) users.set(c, (set = new Set()));
        set.add(sf.fileName);
      }
    };
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && !inExportDeclaration(node)) {
        mark(checker.getSymbolAtLocation(node));
      }
      // const { a, b: c } = await import('./m.ts'): a and b are members of the module's type
      if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const name = node.propertyName ?? node.name;
        if (ts.isIdentifier(name)) {
          const t = checker.getTypeAtLocation(node.parent);
          mark(t.getProperty(name.text));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return users;
}

/** `file: name` of every export under src/ that no other src/ file uses. */
export function unusedExports(): string[] {
  const p = program();
  const checker = p.getTypeChecker();
  const users = usedSymbols(p, checker);
  const out: string[] = [];
  for (const sf of p.getSourceFiles()) {
    if (!isInSrc(sf)) continue;
    const mod = checker.getSymbolAtLocation(sf);
    if (mod === undefined) continue;
    for (const e of checker.getExportsOfModule(mod)) {
      // `export * from` entries belong to the file that declares them
      const decl = e.declarations?.[0];
      if (decl === undefined || decl.getSourceFile() !== sf) continue;
      const others = [...(users.get(e) ?? [])].filter((f) => counts(f, sf.fileName));
      if (others.length > 0) continue;
      const id = `${relative(ROOT, sf.fileName)}: ${e.name}`;
      if (!ALLOWED.has(id)) out.push(id);
    }
  }
  return out.sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = unusedExports();
  for (const id of found) console.log(id);
  if (found.length > 0) {
    console.error(
      `${found.length} export(s) no other file under src/ uses: remove them (or un-export), or allowlist an entry point in scripts/unused-exports.ts`,
    );
    process.exit(1);
  }
}
