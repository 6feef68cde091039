/**
 * Docker's side of the state store: the daemon's event stream (GET /events)
 * filtered to the project's containers. Every event is a `changed`; the
 * stream ending (dockerd stopped or restarted) is a `down`, and the feed
 * reconnects with backoff, reporting `up` when the daemon answers again.
 */
import type { Readable } from 'node:stream';
import { createClient } from '../../control/docker/client.ts';
import { LABEL } from '../../control/docker/labels.ts';
import type { FeedHooks, OpenFeed } from './store.ts';
import { keepConnected } from './resync.ts';

/** The container events that can change a process's state, pid or existence. */
const EVENTS = [
  'create',
  'start',
  'restart',
  'die',
  'kill',
  'stop',
  'destroy',
  'pause',
  'unpause',
  'oom',
  'rename',
  'health_status',
];

/** `project`: the compose project name (undefined: every supctl project). */
export function dockerFeed(o: {
  project: string | undefined;
  dockerHost?: string | undefined;
}): OpenFeed {
  return (hooks: FeedHooks) =>
    keepConnected(async (lost) => {
      const client = await createClient({ dockerHost: o.dockerHost });
      const stream = (await client.call('events', (d) =>
        d.getEvents({
          filters: {
            type: ['container'],
            event: EVENTS,
            label: [
              o.project === undefined ? LABEL.supctlProject : `${LABEL.supctlProject}=${o.project}`,
            ],
          },
        }),
      )) as Readable;
      stream.on('data', () => hooks.changed());
      stream.on('end', () => lost(`the Docker event stream from ${client.host} ended`));
      stream.on('error', (e: Error) => lost(`Docker events from ${client.host}: ${e.message}`));
      return () => {
        stream.removeAllListeners();
        stream.destroy();
      };
    }, hooks);
}
