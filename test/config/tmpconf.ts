/** Hand-written configs in a fresh temp dir, for the reader's unit tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { toParseJson, type ParseJson } from '../../src/config/json.ts';
import type { Deployment } from '../../src/model/deployment.ts';

type LoadOptions = NonNullable<Parameters<typeof loadConfig>[1]>;

/** Writes `files` (relative path → text) into a new temp dir; returns the dir. */
export function tmpConfig(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'supctl-load-'));
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

export const ENV = { HOME: '/home/u', FOO: 'bar' };
export const HOST = 'node1';

/** Loads `main.conf` of a temp dir holding `files`, with a fixed env and host. */
export function load(
  files: Record<string, string>,
  opts: LoadOptions = {},
): { dir: string; d: Deployment } {
  const dir = tmpConfig(files);
  const d = loadConfig(join(dir, 'main.conf'), { env: ENV, hostNodeName: HOST, ...opts });
  return { dir, d };
}

export function parseJson(text: string, opts: LoadOptions = {}): ParseJson {
  return toParseJson(load({ 'main.conf': text }, opts).d);
}

/** Asserts that loading throws a ConfigError and returns it (with the temp dir). */
export function loadError(
  files: Record<string, string>,
  opts: LoadOptions = {},
): { dir: string; err: ConfigError } {
  const dir = tmpConfig(files);
  try {
    loadConfig(join(dir, 'main.conf'), { env: ENV, hostNodeName: HOST, ...opts });
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return { dir, err };
  }
  assert.fail('expected the config to be rejected');
}

export function rejectText(text: string, opts: LoadOptions = {}): ConfigError {
  return loadError({ 'main.conf': text }, opts).err;
}
