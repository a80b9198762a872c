import { graphRejection, TOKEN_SUBCODE, unknownPixel, type GraphRejection } from './graph-errors';

/**
 * Registry of the emulator's pixels and the access tokens each accepts. A token removed from a pixel
 * at runtime is remembered as expired, so a sender still holding it gets 190/463 as from Meta.
 */
export class TokenRegistry {
  private accepted = new Map<string, Set<string>>();
  private retired = new Map<string, Set<string>>();

  constructor(private readonly initial: Record<string, string[]>) {
    this.reset();
  }

  /** Replaces the accepted tokens of a pixel, creating the pixel when it is new. */
  setTokens(pixelId: string, tokens: string[]): void {
    const previous = this.accepted.get(pixelId) ?? new Set<string>();
    const next = new Set(tokens);
    const retired = this.retired.get(pixelId) ?? new Set<string>();
    for (const token of previous) if (!next.has(token)) retired.add(token);
    for (const token of next) retired.delete(token);
    this.accepted.set(pixelId, next);
    this.retired.set(pixelId, retired);
  }

  /**
   * Returns the rejection Meta sends for this token and pixel, or undefined when the token may
   * write to the pixel. The token is checked first, as Meta does: a token that some pixel
   * accepts but this one does not gets the unknown-object error (100/33).
   */
  check(pixelId: string, token: string | undefined): GraphRejection | undefined {
    if (!token) {
      return graphRejection({
        code: 190,
        message: 'An access token is required to request this resource.',
      });
    }
    if (this.accepted.get(pixelId)?.has(token)) return undefined;

    if (this.retired.get(pixelId)?.has(token)) {
      return graphRejection({
        code: 190,
        subcode: TOKEN_SUBCODE.expired,
        message: 'Error validating access token: Session has expired.',
      });
    }
    const knownElsewhere = [...this.accepted.values()].some((tokens) => tokens.has(token));
    if (knownElsewhere) return unknownPixel(pixelId);

    return graphRejection({
      code: 190,
      subcode: TOKEN_SUBCODE.invalid,
      message: 'Invalid OAuth access token - Cannot parse access token',
    });
  }

  /** Restores the pixels and tokens the emulator started with. */
  reset(): void {
    this.accepted = new Map();
    this.retired = new Map();
    for (const [pixelId, tokens] of Object.entries(this.initial)) {
      this.accepted.set(pixelId, new Set(tokens));
    }
  }
}
