/**
 * HTTP Basic auth as supervisord checks it: one username, a password given
 * plainly or as `{SHA}` + the hex SHA-1 of the password; realm `default`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

export const REALM = 'default';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether an Authorization header carries the configured user and password. */
export function authorized(header: string | undefined, creds: Credentials): boolean {
  if (header === undefined) return false;
  const m = /^basic\s+(\S+)\s*$/i.exec(header);
  if (m === null) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (!same(user, creds.username)) return false;
  if (creds.password.startsWith('{SHA}')) {
    const digest = createHash('sha1').update(password, 'utf8').digest('hex');
    return same(digest, creds.password.slice(5));
  }
  return same(password, creds.password);
}
