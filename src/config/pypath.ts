/** Python's posixpath functions, as supervisor calls them (os.path.*). */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

/** os.path.normpath: keeps exactly two leading slashes, keeps no trailing slash. */
export function pyNormpath(path: string): string {
  if (path === '') return '.';
  let initial = path.startsWith('/') ? 1 : 0;
  if (initial === 1 && path.startsWith('//') && !path.startsWith('///')) initial = 2;
  const out: string[] = [];
  for (const comp of path.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (initial === 0 && out.length === 0) || out[out.length - 1] === '..') {
      out.push(comp);
    } else if (out.length > 0) {
      out.pop();
    }
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined === '' ? '.' : joined;
}

/** os.path.join. */
export function pyJoin(a: string, ...rest: string[]): string {
  let path = a;
  for (const b of rest) {
    if (b.startsWith('/')) path = b;
    else if (path === '' || path.endsWith('/')) path += b;
    else path += '/' + b;
  }
  return path;
}

/** os.path.split. */
export function pySplitPath(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head !== '' && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

/** os.path.dirname. */
export function pyDirname(p: string): string {
  return pySplitPath(p)[0];
}

/** os.path.abspath. */
export function pyAbspath(p: string, cwd: string = process.cwd()): string {
  return pyNormpath(p.startsWith('/') ? p : pyJoin(cwd, p));
}

let passwdHomes: Map<string, string> | undefined;

function homeOfUser(name: string): string | undefined {
  if (passwdHomes === undefined) {
    passwdHomes = new Map();
    let text = '';
    try {
      text = readFileSync('/etc/passwd', 'utf8');
    } catch {
      // no passwd database: every ~user stays as written, as Python does on KeyError
    }
    for (const line of text.split('\n')) {
      const f = line.split(':');
      if (f.length >= 7 && f[0] && !passwdHomes.has(f[0])) passwdHomes.set(f[0], f[5] ?? '');
    }
  }
  return passwdHomes.get(name);
}

/** os.path.expanduser, with HOME taken from the given environment. */
export function pyExpanduser(path: string, env: Record<string, string | undefined>): string {
  if (!path.startsWith('~')) return path;
  let i = path.indexOf('/', 1);
  if (i < 0) i = path.length;
  let home: string | undefined;
  if (i === 1) {
    home = env['HOME'];
    if (home === undefined) {
      try {
        home = userInfo().homedir;
      } catch {
        return path;
      }
    }
  } else {
    home = homeOfUser(path.slice(1, i));
    if (home === undefined) return path;
  }
  home = home.replace(/\/+$/, '');
  return home + path.slice(i) || '/';
}

/** supervisor's normalize_path: normpath(abspath(expanduser(v))). */
export function pyNormalizePath(v: string, env: Record<string, string | undefined>): string {
  return pyAbspath(pyExpanduser(v, env));
}
