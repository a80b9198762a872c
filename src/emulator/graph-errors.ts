import { randomBytes } from 'node:crypto';
import type { GraphErrorBody } from '../meta/types';

/** Meta's validation subcodes that the emulator returns under code 100. */
export const VALIDATION_SUBCODE = {
  malformedFbc: 2804001,
  eventTooOld: 2804003,
  purchaseWithoutValue: 2804009,
  purchaseWithoutCurrency: 2804010,
  unhashedUserData: 2804016,
  weakIdentifiers: 2804050,
} as const;

/** The subcodes of code 190 (invalid access token). */
export const TOKEN_SUBCODE = {
  passwordChanged: 460,
  expired: 463,
  invalid: 467,
} as const;

/** Returns a random trace id shaped like Meta's `fbtrace_id`. */
export function newFbtraceId(): string {
  return randomBytes(9).toString('base64url');
}

/** An error response of the emulator: the HTTP status and Meta's error envelope. */
export interface GraphRejection {
  status: number;
  body: GraphErrorBody;
}

/** Thrown inside validation to stop at the first invalid value, as Meta reports one error. */
export class RejectionSignal extends Error {
  constructor(readonly rejection: GraphRejection) {
    super(rejection.body.error.message);
    this.name = 'RejectionSignal';
  }
}

export interface RejectionFields {
  code: number;
  subcode?: number;
  message: string;
  /** @default OAuthException */
  type?: string;
  userTitle?: string;
  userMessage?: string;
  /** @default 400 */
  status?: number;
}

/** Builds a Graph API error response. Every emulator error has `is_transient: false`. */
export function graphRejection(fields: RejectionFields): GraphRejection {
  const error: GraphErrorBody['error'] = {
    message: fields.message,
    type: fields.type ?? 'OAuthException',
    code: fields.code,
  } as GraphErrorBody['error'];
  if (fields.subcode !== undefined) error.error_subcode = fields.subcode;
  error.is_transient = false;
  if (fields.userTitle !== undefined) error.error_user_title = fields.userTitle;
  if (fields.userMessage !== undefined) error.error_user_msg = fields.userMessage;
  error.fbtrace_id = newFbtraceId();
  return { status: fields.status ?? 400, body: { error } };
}

/** Builds a code 100 rejection of one parameter, without a subcode. */
export function invalidParameter(message: string): GraphRejection {
  return graphRejection({ code: 100, message });
}

/** Builds a code 100 rejection with one of Meta's validation subcodes. */
export function invalidEvent(
  subcode: number,
  userTitle: string,
  userMessage: string,
): GraphRejection {
  return graphRejection({
    code: 100,
    subcode,
    message: 'Invalid parameter',
    userTitle,
    userMessage,
  });
}

/** Builds Meta's error for a pixel that does not exist or that the token cannot write to. */
export function unknownPixel(pixelId: string): GraphRejection {
  return graphRejection({
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    message:
      `Unsupported post request. Object with ID '${pixelId}' does not exist, cannot be loaded ` +
      'due to missing permissions, or does not support this operation.',
  });
}
