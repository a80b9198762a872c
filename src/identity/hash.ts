import { createHash } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Returns the SHA-256 digest of the UTF-8 bytes of `text`, as 64 lowercase hex characters. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Tells whether `text` already is a SHA-256 hex digest (either case). */
export function isSha256Hex(text: string): boolean {
  return text.length === 64 && SHA256_HEX.test(text);
}

/**
 * Hashes a normalized value for user_data. A value that already is a digest is returned as is,
 * because Meta would otherwise receive the hash of a hash and match nothing.
 */
export function hashNormalized(normalized: string): string {
  return isSha256Hex(normalized) ? normalized : sha256Hex(normalized);
}
