/**
 * Compose interpolates `$VAR`, `${VAR}` in every string value of the file
 * (compose-spec 12-interpolation.md); `$$` is a literal `$`. Every value we
 * write passes through here, so nothing in a supervisor config is ever
 * interpolated by Compose.
 */
export function escapeInterpolation(s: string): string {
  return s.replaceAll('$', '$$$$');
}
