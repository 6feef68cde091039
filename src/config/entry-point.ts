/**
 * The syntax check of `pkg_resources.EntryPoint.parse('x=' + spec)`, which
 * supervisor runs on `supervisor.rpcinterface_factory` and `result_handler`
 * before importing them. Importing depends on the machine and is not done;
 * a spec that cannot even be parsed rejects the config, as in supervisor.
 */
const S =
  '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const W = '[\\p{L}\\p{N}_]';
const ENTRY_POINT = new RegExp(
  `^${S}*(?<name>[^\\n]+?)${S}*=${S}*(?<module>[${W.slice(1, -1)}.]+)${S}*` +
    `(?::${S}*(?<attr>[${W.slice(1, -1)}.]+))?${S}*(?<extras>\\[[^\\n]*\\])?${S}*$`,
  'u',
);
/** packaging's extras list: `[ name, name ]`, names [A-Za-z0-9] with inner `._-`. */
const ID = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const EXTRAS = new RegExp(`^\\[[ \\t]*(?:${ID}(?:[ \\t]*,[ \\t]*${ID})*)?[ \\t]*\\]$`);

/** pkg_resources.MODULE: `\w+(\.\w+)*$`. */
const MODULE = new RegExp(`^${W}+(?:\\.${W}+)*\n?$`, 'u');

/** Returns null when the spec parses, else pkg_resources' reason. */
export function entryPointSyntaxError(spec: string): string | null {
  const m = ENTRY_POINT.exec(`x=${spec}`);
  if (m === null) return "EntryPoint must be in 'name=module:attrs [extras]' format";
  const module = m.groups?.['module'] ?? '';
  if (!MODULE.test(module)) return `Invalid module name ${module}`;
  const extras = m.groups?.['extras'];
  if (extras !== undefined && !EXTRAS.test(extras)) return `Invalid extras ${extras}`;
  return null;
}
