import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_GRAPH_API_VERSION, DEFAULT_GRAPH_BASE_URL } from '../meta/types';
import type { SecretSource } from './secrets';
import { readSignalSettings, type SignalSettings } from './signal-settings';

/**
 * The settings of every cio-capi process. Each one comes from an environment variable, else from
 * the optional JSON file named by `--config` or CIO_CAPI_CONFIG, else from its default.
 */
export interface Settings {
  meta: {
    /** The Meta pixel (dataset) id: digits only. */
    pixelId: string;
    /** The source the access token is read from at each send. It is never logged. */
    accessToken: SecretSource;
    /** Graph API version, such as `v24.0`. */
    graphApiVersion: string;
    /** Graph API base URL. @default https://graph.facebook.com */
    graphBaseUrl: string;
    /** Routes events to Events Manager's Test Events tab. They are still processed for real. */
    testEventCode?: string;
    /** How long one request to Meta may take, in milliseconds. @default 10000 */
    requestTimeoutMs: number;
  };
  ingest: {
    /** @default 127.0.0.1 */
    host: string;
    /** @default 3000 */
    port: number;
    /** Accepted bearer secrets; several at once allow rotation. */
    bearerSecrets: string[];
    /** Data Pipelines webhook shared secrets for `X-Signature` (HMAC-SHA1). */
    pipelinesSigningSecrets: string[];
  };
  temporal: {
    /** host:port of a Temporal server; unset means `demo` starts a local dev server. */
    address?: string;
    /** @default default */
    namespace: string;
    /** @default cio-capi */
    taskQueue: string;
  };
  /** Path of the mapping file; unset means the built-in e-commerce defaults. */
  mappingPath?: string;
  /** PostgreSQL URL of the profile store; unset means embedded SQLite. */
  databaseUrl?: string;
  /** SQLite file of the profile store when no databaseUrl is set. @default .cio-capi/profiles.db */
  sqlitePath: string;
  /** ISO 3166-1 alpha-2 country for phones without a country code. @default US */
  defaultCountry: string;
  /** The VIP and winback scans: the file's `signals` block and CIO_CAPI_VIP_THRESHOLD and the like. */
  signals: SignalSettings;
}

export class InvalidSettingsError extends Error {
  readonly code = 'INVALID_SETTINGS';
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidSettingsError';
  }
}

const list = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean),
  );

const fileSchema = z.strictObject({
  pixelId: z.string().optional(),
  accessTokenFile: z.string().optional(),
  graphApiVersion: z.string().optional(),
  graphBaseUrl: z.string().optional(),
  testEventCode: z.string().optional(),
  requestTimeoutMs: z.number().optional(),
  ingestHost: z.string().optional(),
  ingestPort: z.number().optional(),
  ingestSecrets: list.optional(),
  pipelinesSigningSecrets: list.optional(),
  temporalAddress: z.string().optional(),
  temporalNamespace: z.string().optional(),
  taskQueue: z.string().optional(),
  mappingPath: z.string().optional(),
  databaseUrl: z.string().optional(),
  sqlitePath: z.string().optional(),
  defaultCountry: z.string().optional(),
  signals: z.record(z.string(), z.unknown()).optional(),
});
export type SettingsFile = z.infer<typeof fileSchema>;

/** The environment variable behind each setting, for documentation and error messages. */
export const SETTING_ENV = {
  pixelId: 'META_PIXEL_ID',
  accessToken: 'META_ACCESS_TOKEN',
  accessTokenFile: 'META_ACCESS_TOKEN_FILE',
  graphApiVersion: 'META_GRAPH_API_VERSION',
  graphBaseUrl: 'META_GRAPH_BASE_URL',
  testEventCode: 'META_TEST_EVENT_CODE',
  requestTimeoutMs: 'META_REQUEST_TIMEOUT_MS',
  ingestHost: 'CIO_CAPI_HOST',
  ingestPort: 'CIO_CAPI_PORT',
  ingestSecrets: 'CIO_CAPI_INGEST_SECRETS',
  pipelinesSigningSecrets: 'CIO_CAPI_PIPELINES_SIGNING_SECRETS',
  temporalAddress: 'TEMPORAL_ADDRESS',
  temporalNamespace: 'TEMPORAL_NAMESPACE',
  taskQueue: 'CIO_CAPI_TASK_QUEUE',
  mappingPath: 'CIO_CAPI_MAPPING',
  databaseUrl: 'DATABASE_URL',
  sqlitePath: 'CIO_CAPI_SQLITE_PATH',
  defaultCountry: 'CIO_CAPI_DEFAULT_COUNTRY',
  configFile: 'CIO_CAPI_CONFIG',
} as const;

export interface LoadSettingsOptions {
  env?: NodeJS.ProcessEnv;
  /** A JSON settings file; CIO_CAPI_CONFIG when unset. */
  configPath?: string;
  /** Values that win over both, used by `demo` and the tests. */
  overrides?: Partial<SettingsFile> & { accessToken?: SecretSource };
  /** Which settings must be present for this process. @default [] */
  require?: Array<'pixelId' | 'accessToken' | 'ingestSecrets'>;
}

/** Loads and validates the settings, naming each invalid or missing one with its variable. */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const configPath = options.configPath ?? env[SETTING_ENV.configFile];
  const file = configPath ? readSettingsFile(configPath, problems) : {};
  const overrides = options.overrides ?? {};

  const pick = <K extends keyof SettingsFile & keyof typeof SETTING_ENV>(
    key: K,
  ): string | undefined => {
    const override = overrides[key];
    if (override !== undefined)
      return Array.isArray(override) ? override.join(',') : String(override);
    const fromEnv = env[SETTING_ENV[key]];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    const fromFile = file[key];
    if (fromFile === undefined) return undefined;
    return Array.isArray(fromFile) ? fromFile.join(',') : String(fromFile);
  };

  const pixelId = pick('pixelId')?.trim() ?? '';
  if (pixelId && !/^\d{5,20}$/.test(pixelId)) {
    problems.push(`${SETTING_ENV.pixelId}: invalid pixel id "${pixelId}": expected 5 to 20 digits`);
  }

  const accessToken: SecretSource | undefined =
    overrides.accessToken ??
    (env[SETTING_ENV.accessToken]
      ? { kind: 'env', name: SETTING_ENV.accessToken }
      : pick('accessTokenFile')
        ? { kind: 'file', path: pick('accessTokenFile')! }
        : undefined);

  const graphApiVersion = pick('graphApiVersion') ?? DEFAULT_GRAPH_API_VERSION;
  if (!/^v\d+\.\d+$/.test(graphApiVersion)) {
    problems.push(
      `${SETTING_ENV.graphApiVersion}: invalid version "${graphApiVersion}": expected a form like v24.0`,
    );
  }
  const graphBaseUrl = (pick('graphBaseUrl') ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
  if (!isHttpUrl(graphBaseUrl)) {
    problems.push(`${SETTING_ENV.graphBaseUrl}: invalid URL "${graphBaseUrl}"`);
  }

  const requestTimeoutMs = readInteger(
    pick('requestTimeoutMs'),
    10_000,
    'requestTimeoutMs',
    100,
    120_000,
    problems,
  );
  const port = readInteger(pick('ingestPort'), 3000, 'ingestPort', 0, 65_535, problems);
  const defaultCountry = (pick('defaultCountry') ?? 'US').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(defaultCountry)) {
    problems.push(
      `${SETTING_ENV.defaultCountry}: invalid country "${defaultCountry}": expected an ISO 3166-1 alpha-2 code`,
    );
  }
  const temporalAddress = pick('temporalAddress');
  const temporalPort = Number(temporalAddress?.split(':').pop());
  if (
    temporalAddress &&
    (!/^[^\s:/]+:\d+$/.test(temporalAddress) || temporalPort < 1 || temporalPort > 65_535)
  ) {
    problems.push(
      `${SETTING_ENV.temporalAddress}: invalid address "${temporalAddress}": expected host:port`,
    );
  }

  const required = new Set(options.require ?? []);
  if (required.has('pixelId') && !pixelId) problems.push(`${SETTING_ENV.pixelId} is missing`);
  if (required.has('accessToken') && !accessToken) {
    problems.push(`${SETTING_ENV.accessToken} (or ${SETTING_ENV.accessTokenFile}) is missing`);
  }
  const bearerSecrets = list.parse(pick('ingestSecrets') ?? '');
  if (required.has('ingestSecrets') && bearerSecrets.length === 0) {
    problems.push(`${SETTING_ENV.ingestSecrets} is missing: set at least one bearer secret`);
  }
  for (const secret of bearerSecrets) {
    if (secret.length < 16) {
      problems.push(`${SETTING_ENV.ingestSecrets}: a secret is shorter than 16 characters`);
      break;
    }
  }

  const signals = readSignalSettings(overrides.signals ?? file.signals, env, problems);

  if (problems.length > 0) throw new InvalidSettingsError(problems);

  return {
    meta: {
      pixelId,
      accessToken: accessToken ?? { kind: 'env', name: SETTING_ENV.accessToken },
      graphApiVersion,
      graphBaseUrl,
      testEventCode: pick('testEventCode'),
      requestTimeoutMs,
    },
    ingest: {
      host: pick('ingestHost') ?? '127.0.0.1',
      port,
      bearerSecrets,
      pipelinesSigningSecrets: list.parse(pick('pipelinesSigningSecrets') ?? ''),
    },
    temporal: {
      address: temporalAddress,
      namespace: pick('temporalNamespace') ?? 'default',
      taskQueue: pick('taskQueue') ?? 'cio-capi',
    },
    mappingPath: pick('mappingPath'),
    databaseUrl: pick('databaseUrl'),
    sqlitePath: pick('sqlitePath') ?? '.cio-capi/profiles.db',
    defaultCountry,
    signals,
  };
}

function readSettingsFile(configPath: string, problems: string[]): SettingsFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (error) {
    problems.push(
      `${SETTING_ENV.configFile}: cannot read ${configPath}: ${(error as Error).message}`,
    );
    return {};
  }
  const parsed = fileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    problems.push(`${configPath}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return {};
}

function readInteger(
  text: string | undefined,
  fallback: number,
  key: keyof typeof SETTING_ENV,
  min: number,
  max: number,
  problems: string[],
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(
      `${SETTING_ENV[key]}: invalid value "${text}": expected a whole number from ${min} to ${max}`,
    );
    return fallback;
  }
  return value;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
