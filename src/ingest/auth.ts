import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request authentication. Every comparison runs in constant time over raw bytes and visits every
 * configured secret without an early exit, so neither timing nor the number of secrets reveals
 * which one (if any) matched.
 */

/** The challenge sent with each 401: both schemes the server accepts. */
export const WWW_AUTHENTICATE = [
  'Bearer realm="cio-capi"',
  'Basic realm="cio-capi", charset="UTF-8"',
];

/** How the Authorization header compared with the configured bearer secrets. */
export type AuthorizationCheck = 'valid' | 'invalid' | 'absent';

/** How the X-Signature header compared with the configured signing secrets. */
export type SignatureCheck = 'valid' | 'invalid' | 'absent' | 'unconfigured';

const SHA1_BYTES = 20;

export class Authenticator {
  private readonly secretDigests: Buffer[];
  private readonly signingSecrets: Buffer[];

  constructor(secrets: { bearerSecrets: string[]; pipelinesSigningSecrets: string[] }) {
    // Digests have equal lengths, so timingSafeEqual applies to secrets of any length.
    this.secretDigests = secrets.bearerSecrets.map((secret) => sha256(Buffer.from(secret, 'utf8')));
    this.signingSecrets = secrets.pipelinesSigningSecrets.map((secret) =>
      Buffer.from(secret, 'utf8'),
    );
  }

  /** True when an X-Signature can be verified, because a signing secret is configured. */
  get verifiesSignatures(): boolean {
    return this.signingSecrets.length > 0;
  }

  /**
   * Checks `Authorization: Bearer <secret>` or `Authorization: Basic <base64 user:secret>`.
   * The Basic user name is not checked: the password must be one of the bearer secrets.
   */
  checkAuthorization(header: string | undefined): AuthorizationCheck {
    if (header === undefined || header.trim() === '') return 'absent';
    const presented = presentedSecret(header);
    if (presented === undefined) return 'invalid';

    const digest = sha256(presented);
    let matched = false;
    for (const secretDigest of this.secretDigests) {
      matched = timingSafeEqual(digest, secretDigest) || matched;
    }
    return matched ? 'valid' : 'invalid';
  }

  /** Checks `X-Signature`: the hex HMAC-SHA1 of the raw body, keyed with a signing secret. */
  checkSignature(header: string | string[] | undefined, rawBody: Buffer): SignatureCheck {
    if (header === undefined) return 'absent';
    if (!this.verifiesSignatures) return 'unconfigured';

    const text = Array.isArray(header) ? '' : header.trim();
    const wellFormed = /^[0-9a-fA-F]{40}$/.test(text);
    // A malformed value is still compared against a zero buffer, so each path costs the same.
    const presented = wellFormed ? Buffer.from(text, 'hex') : Buffer.alloc(SHA1_BYTES);
    let matched = false;
    for (const secret of this.signingSecrets) {
      const expected = createHmac('sha1', secret).update(rawBody).digest();
      matched = timingSafeEqual(presented, expected) || matched;
    }
    return matched && wellFormed ? 'valid' : 'invalid';
  }
}

function presentedSecret(header: string): Buffer | undefined {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;

  if (scheme === 'bearer') return Buffer.from(value, 'utf8');
  if (scheme !== 'basic') return undefined;

  const decoded = Buffer.from(value, 'base64');
  const colon = decoded.indexOf(0x3a);
  return colon < 0 ? undefined : decoded.subarray(colon + 1);
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
