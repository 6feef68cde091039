/**
 * serve's private socket for `supctl status` on the same machine (the
 * advert in src/control/serve-client/ says where): GET /supctl/processes
 * answers the processes as JSON, exactly as the backend's list() gave them,
 * so status prints the same lines. No auth: the socket is 0600 in a 0700
 * directory.
 */
import { createServer, type Server } from 'node:http';
import { PROCESSES_PATH } from '../control/serve-client/client.ts';
import type { Backend } from '../control/types.ts';

/** `unreachable`: while the backend is gone, 503, so status asks the backend and reports why. */
export function createPrivateServer(backend: Backend, unreachable: () => string | null): Server {
  return createServer((req, res) => {
    req.resume();
    if (req.method !== 'GET' || req.url !== PROCESSES_PATH) {
      res.writeHead(404).end();
      return;
    }
    if (unreachable() !== null) {
      res.writeHead(503).end();
      return;
    }
    backend.list({ detail: true }).then(
      (ps) => {
        const body = JSON.stringify(ps);
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        });
        res.end(body);
      },
      () => res.writeHead(503).end(),
    );
  });
}
