/**
 * Signal names as supervisorctl's `signal` verb and `stopsignal` take them
 * (HUP, SIGHUP, hup or a number), resolved against this machine's table.
 * One place for the CLI and every backend.
 */
import { constants } from 'node:os';

const TABLE = constants.signals as Record<string, number | undefined>;

/** `hup` / `SIGHUP` / `1` → `SIGHUP`; null if Linux has no such named signal. */
export function normalizeSignal(sig: string): string | null {
  if (/^\d+$/.test(sig)) {
    const n = Number(sig);
    const name = Object.keys(TABLE).find(
      (k) => TABLE[k] === n && !/^SIG(IOT|POLL|UNUSED)$/.test(k),
    );
    return name ?? null;
  }
  let name = sig.trim().toUpperCase();
  if (!name.startsWith('SIG')) name = `SIG${name}`;
  return name in TABLE ? name : null;
}

/** A signal name or number (1–64, real-time ones included) → its number; null if unknown. */
export function signalNumber(sig: string): number | null {
  if (/^\d+$/.test(sig)) {
    const n = Number(sig);
    return n > 0 && n < 65 ? n : null;
  }
  const name = normalizeSignal(sig);
  return name === null ? null : (TABLE[name] ?? null);
}

/** The signal a container kill is sent: its name where Linux has one, else its number (real-time signals). */
export function killSignal(sig: string): string | undefined {
  const n = signalNumber(sig);
  if (n === null) return undefined;
  return normalizeSignal(sig) ?? String(n);
}
