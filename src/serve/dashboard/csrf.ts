/**
 * CSRF tokens for the dashboard's POSTs: an HMAC, under a secret made when
 * serve starts, of the Authorization header the page was loaded with. A
 * token is only good for the credential that got it (and for this run of
 * serve); every POST must carry it. Without auth configured the token is
 * bound to the empty credential, still unguessable by another origin.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class Csrf {
  private readonly secret = randomBytes(32);

  tokenFor(authorization: string | undefined): string {
    return createHmac('sha256', this.secret)
      .update(authorization ?? '')
      .digest('base64url');
  }

  valid(authorization: string | undefined, token: string | undefined | null): boolean {
    if (typeof token !== 'string' || token === '') return false;
    const want = Buffer.from(this.tokenFor(authorization));
    const got = Buffer.from(token);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
