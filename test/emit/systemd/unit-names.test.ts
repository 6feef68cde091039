/**
 * Unit names are injective over (project, group or program): no two
 * projects, and no two programs or groups of one project, share a unit name
 * (issue 9, item 2). Property test over hostile names.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { unitBase, unitName, UnitSyntaxError } from '../../../src/emit/systemd/escape.ts';

/** A unit name, or null where supctl refuses the names (a project too long once escaped). */
function orRefused(f: () => string): string | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnitSyntaxError && /too long/.test(e.message)) return null;
    throw e;
  }
}

const CHARS = ['a', 'b', '-', '_', '.', '\\', '@', 'x', '2', 'd', ' ', 'é', '%', '$'];
const name = (min: number) =>
  fc.array(fc.constantFrom(...CHARS), { minLength: min, maxLength: 6 }).map((a) => a.join(''));
/** What one unit name stands for: the project target, a group target, a program's service. */
const thing = fc.record({
  project: name(1),
  kind: fc.constantFrom('project', 'group', 'program'),
  name: name(1),
});

function unitOf(t: { project: string; kind: string; name: string }): string | null {
  if (t.kind === 'project') return orRefused(() => unitName(t.project, null, '.target'));
  return orRefused(() => unitName(t.project, t.name, t.kind === 'group' ? '.target' : '.service'));
}

const key = (t: { project: string; kind: string; name: string }) =>
  t.kind === 'project' ? `${t.project}\0project` : `${t.project}\0${t.kind}\0${t.name}`;

test('distinct (project, kind, name) give distinct unit names (20,000 pairs)', () => {
  fc.assert(
    fc.property(thing, thing, (x, y) => {
      if (key(x) === key(y)) return;
      const [ux, uy] = [unitOf(x), unitOf(y)];
      if (ux === null || uy === null) return;
      assert.notEqual(ux, uy, `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }),
    { numRuns: 20_000, seed: 9 },
  );
});

test('the example of the issue: a + b-c and a-b + c', () => {
  assert.equal(unitName('a', 'b-c', '.service'), 'a-b-c.service');
  assert.equal(unitName('a-b', 'c', '.service'), 'a\\x2db-c.service');
});

test('every unit name leaves room for its drop-in directory (NAME_MAX 255)', () => {
  for (const n of [10, 200, 260, 6000]) {
    const u = unitName('p', 'x'.repeat(n), '.service');
    assert.ok(`${u}.d`.length <= 255, `${u.length}`);
    const instance = `${unitBase('p', 'x'.repeat(n))}@${'9'.repeat(20)}.service.d`;
    assert.ok(instance.length <= 255, `${instance.length}`);
  }
});

test("one text split at different '-' into project and program gives different unit names", () => {
  fc.assert(
    fc.property(fc.array(name(1), { minLength: 3, maxLength: 5 }), (parts) => {
      const units: string[] = [];
      for (let i = 1; i < parts.length; i++) {
        const project = parts.slice(0, i).join('-');
        const program = parts.slice(i).join('-');
        const u = orRefused(() => unitName(project, program, '.service'));
        if (u !== null) units.push(u);
      }
      assert.equal(new Set(units).size, units.length, parts.join('-'));
    }),
    { numRuns: 5_000, seed: 10 },
  );
});
