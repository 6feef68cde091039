/**
 * Runs the scenario table under the three runtimes (concurrently per
 * scenario) and judges each measurement against supervisord's behaviour
 * and the key tables' claims. A contradiction is an EXACT claim whose
 * runtime did something else; the reference itself (supervisord) not
 * doing what the table expects is one too (the table would be wrong).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness } from '../integration/harness.ts';
import { dockerClaim, systemdClaim, type Claim } from './claims.ts';
import { observe } from './observer.ts';
import { command } from './program.ts';
import { openRuntime, RUNTIMES, type Runtime, type RuntimeName } from './runtimes.ts';
import type { Measure, Scenario } from './scenarios.ts';

export interface Cell {
  value: string;
  /** Matches supervisor's behaviour (undefined: nothing expected, recorded only). */
  ok: boolean | undefined;
}

export interface Row {
  scenario: Scenario;
  measure: Measure;
  cells: Record<RuntimeName, Cell>;
  claims: { systemd: Claim; docker: Claim };
}

export interface Contradiction {
  scenario: string;
  runtime: RuntimeName;
  key: string;
  proc: string | undefined;
  what: string;
  expected: string;
  got: string;
}

export function matches(value: string, expect: Measure['expect']): boolean | undefined {
  if (expect === undefined) return undefined;
  if (typeof expect === 'string') return value === expect;
  const n = Number(value);
  return !Number.isNaN(n) && n >= expect[0] && n <= expect[1];
}

export function showExpect(expect: Measure['expect']): string {
  if (expect === undefined) return '(recorded only)';
  return typeof expect === 'string' ? expect : `${expect[0]}–${expect[1]} s`;
}

/** The scenario's [program:x] sections, with `@R@` and the program's dir filled in. */
export function sections(s: Scenario, dir: string): string {
  return s.programs
    .map((p) => {
      const keys = Object.entries(p.keys ?? {}).map(([k, v]) => `${k}=${v.replaceAll('@R@', dir)}`);
      return [`[program:${p.name}]`, `command=${command(dir, p.as ?? p.name, p.mode)}`, ...keys]
        .join('\n')
        .concat('\n');
    })
    .join('\n');
}

async function runScenario(h: Harness, root: string, s: Scenario, n: number): Promise<Row[]> {
  const project = `fid${process.pid}-${n}`;
  const opened = await Promise.allSettled(
    RUNTIMES.map((name) => {
      const dir = join(root, s.id, name);
      mkdirSync(dir, { recursive: true });
      return openRuntime(name, { h, dir, project, sections: (r) => sections(s, r) });
    }),
  );
  const runtimes = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  try {
    const failed = opened.find((o) => o.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const byName = Object.fromEntries(runtimes.map((r) => [r.name, r])) as Record<
      RuntimeName,
      Runtime
    >;
    const values = await Promise.all(RUNTIMES.map((name) => observe(byName[name], s)));
    return s.measures.map((m, i) => {
      const cell = (k: number): Cell => {
        const value = values[k]![i]!;
        return { value, ok: matches(value, m.expect) };
      };
      return {
        scenario: s,
        measure: m,
        cells: { supervisord: cell(0), systemd: cell(1), docker: cell(2) },
        claims: {
          systemd: systemdClaim(byName.systemd.deployment, m.key, m.proc),
          docker: dockerClaim(byName.docker.deployment, m.key, m.proc),
        },
      };
    });
  } finally {
    await Promise.allSettled(runtimes.map((r) => r.close()));
  }
}

export function contradictions(rows: Row[]): Contradiction[] {
  const out: Contradiction[] = [];
  for (const r of rows) {
    for (const runtime of RUNTIMES) {
      const cell = r.cells[runtime];
      const claim = runtime === 'supervisord' ? 'EXACT' : r.claims[runtime].fidelity;
      if (cell.ok === false && claim === 'EXACT' && r.measure.facade === undefined) {
        out.push({
          scenario: r.scenario.id,
          runtime,
          key: r.measure.key,
          proc: r.measure.proc,
          what: r.measure.what,
          expected: showExpect(r.measure.expect),
          got: cell.value,
        });
      }
    }
  }
  return out;
}

export interface Matrix {
  rows: Row[];
  wallSeconds: number;
}

/** Every scenario (or those named), one after the other; each under the three runtimes at once. */
export async function runMatrix(h: Harness, scenarios: Scenario[]): Promise<Matrix> {
  const t0 = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'supctl-fidelity-'));
  try {
    const rows: Row[] = [];
    let n = 0;
    for (const s of scenarios) rows.push(...(await runScenario(h, root, s, n++)));
    return { rows, wallSeconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
