// Test helper: records every module URL node resolves, one per line, into
// the file named by SUPCTL_LOAD_LOG (used by lazy-load.test.ts).
import { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const log = process.env.SUPCTL_LOAD_LOG;
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => appendFileSync(log, `${url}\n`));
port1.unref();
register(
  'data:text/javascript,' +
    encodeURIComponent(`
let port;
export function initialize(data) { port = data.port; }
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  port.postMessage(r.url);
  return r;
}`),
  import.meta.url,
  { data: { port: port2 }, transferList: [port2] },
);
