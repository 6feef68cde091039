/**
 * Renders unit files from the Handlebars templates in `units/` (or a
 * `--templates DIR` that overrides any of them). An isolated
 * Handlebars.create(), noEscape (unit files are not HTML), strict (a missing
 * value throws), and only strings are passed (adjacent numbers would be
 * added: handlebars 4.7 with noEscape).
 */
import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEMPLATE_NAMES = ['service', 'target', 'socket', 'env'] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The repository's units/ directory, found upwards from this module (source or bundle). */
function defaultTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'units');
    if (existsSync(join(candidate, 'service.hbs'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('supctl: cannot find the units/ templates directory');
    dir = up;
  }
}

export type Renderer = (name: TemplateName, data: object) => string;

export function makeRenderer(templatesDir?: string): Renderer {
  const hb = Handlebars.create();
  const base = defaultTemplatesDir();
  const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();
  for (const name of TEMPLATE_NAMES) {
    const own = templatesDir === undefined ? undefined : join(templatesDir, `${name}.hbs`);
    const file = own !== undefined && existsSync(own) ? own : join(base, `${name}.hbs`);
    compiled.set(name, hb.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true }));
  }
  return (name, data) => compiled.get(name)!(data);
}
