/**
 * Per-call timeouts against a fake Engine API on a unix socket: a call may
 * take longer than the client's default when given its own bound; a call
 * that times out is aborted; a create that times out is looked up by name
 * and removed once the daemon has made it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { create, LATE_CREATE_MS } from '../../../src/control/docker/create-container.ts';
import { createClient } from '../../../src/control/docker/client.ts';
import type { ContainerSpec } from '../../../src/control/docker/create.ts';
import { LABEL } from '../../../src/control/docker/labels.ts';
import { BackendError } from '../../../src/control/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-fakedocker-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A fake daemon: `handler` answers; every request is logged as `METHOD path`. */
async function fakeDaemon(handler: Handler) {
  const socket = join(dir, `d${Math.random().toString(36).slice(2)}.sock`);
  const log: string[] = [];
  const aborted: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const line = `${req.method} ${(req.url ?? '').replace(/^\/v[\d.]+/, '')}`;
      log.push(line);
      res.on('close', () => {
        if (!res.writableFinished) aborted.push(line);
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    socket,
    log,
    aborted,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const json = (res: ServerResponse, status: number, v: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(v));
};

test('a call with its own longer bound outlives the client default (no client-wide socket timeout)', async () => {
  const d = await fakeDaemon((_req, res) => setTimeout(() => res.writeHead(204).end(), 600));
  try {
    const client = await createClient({ dockerHost: `unix://${d.socket}`, timeoutMs: 200 });
    await client.call('stop slow', (dk) => dk.getContainer('x').stop(), 3_000);
    assert.deepEqual(d.log, ['POST /containers/x/stop']);
  } finally {
    await d.close();
  }
});

test('a call that times out is TIMEOUT and its request is aborted', async () => {
  const d = await fakeDaemon(() => {
    /* never answers */
  });
  try {
    const client = await createClient({ dockerHost: `unix://${d.socket}`, timeoutMs: 5_000 });
    await assert.rejects(
      client.call(
        'inspect',
        (dk, signal) => dk.getContainer('x').inspect({ abortSignal: signal }),
        200,
      ),
      (e: unknown) => e instanceof BackendError && e.code === 'TIMEOUT',
    );
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(d.aborted, ['GET /containers/x/json']);
  } finally {
    await d.close();
  }
});

test('a create that times out is removed when the daemon makes it late', async () => {
  const name = 'p_web_1';
  const hash = 'h1';
  let made = false;
  const d = await fakeDaemon((req, res) => {
    const url = (req.url ?? '').replace(/^\/v[\d.]+/, '');
    if (url.startsWith('/containers/create')) {
      // the daemon finishes the create after the client gave up
      setTimeout(() => (made = true), 300);
      return;
    }
    if (url === `/containers/${name}/json`) {
      if (!made) return json(res, 404, { message: `No such container: ${name}` });
      return json(res, 200, {
        Id: 'abc123',
        Name: `/${name}`,
        Config: { Labels: { [LABEL.hash]: hash } },
      });
    }
    if (req.method === 'DELETE' && url.startsWith('/containers/abc123'))
      return res.writeHead(204).end();
    json(res, 500, { message: `unexpected ${req.method} ${url}` });
  });
  try {
    const client = await createClient({ dockerHost: `unix://${d.socket}`, timeoutMs: 150 });
    const spec = {
      name,
      hash,
      options: { Image: 'img', Labels: { [LABEL.hash]: hash } },
    } as unknown as ContainerSpec;
    const t0 = Date.now();
    await assert.rejects(
      create(client, spec, name),
      (e: unknown) => e instanceof BackendError && e.code === 'TIMEOUT',
    );
    assert.ok(Date.now() - t0 >= LATE_CREATE_MS);
    assert.ok(
      d.aborted.some((l) => l.startsWith('POST /containers/create')),
      d.aborted.join(),
    );
    assert.ok(
      d.log.some((l) => l.startsWith('DELETE /containers/abc123')),
      d.log.join('\n'),
    );
  } finally {
    await d.close();
  }
});

test('a container of that name with another hash is not ours: left alone', async () => {
  const name = 'p_web_1';
  const d = await fakeDaemon((req, res) => {
    const url = (req.url ?? '').replace(/^\/v[\d.]+/, '');
    if (url.startsWith('/containers/create')) return;
    if (url === `/containers/${name}/json`) {
      return json(res, 200, { Id: 'other', Name: `/${name}`, Config: { Labels: {} } });
    }
    json(res, 500, { message: 'unexpected' });
  });
  try {
    const client = await createClient({ dockerHost: `unix://${d.socket}`, timeoutMs: 100 });
    const spec = { name, hash: 'h', options: { Image: 'img' } } as unknown as ContainerSpec;
    await assert.rejects(
      create(client, spec, name),
      (e: unknown) => e instanceof BackendError && e.code === 'TIMEOUT',
    );
    assert.ok(!d.log.some((l) => l.startsWith('DELETE')), d.log.join('\n'));
  } finally {
    await d.close();
  }
});
