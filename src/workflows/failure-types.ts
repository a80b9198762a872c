/** The `type` of each ApplicationFailure that crosses between activities, workflows and clients. */
export const FAILURE_TYPES = {
  /** Meta rejected the payload; retrying the same payload cannot succeed. */
  metaPermanent: 'MetaPermanentError',
  /** The token, pixel or permission is wrong; the send is held until an operator fixes it. */
  metaConfiguration: 'MetaConfigurationError',
  /** The call cannot become a valid Meta event; the reason names the field. */
  conversionRejected: 'ConversionRejected',
  /** The event left Meta's window before it could be sent. */
  conversionExpired: 'ConversionExpired',
} as const;
