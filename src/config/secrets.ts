import { readFile } from 'node:fs/promises';

/**
 * Where a secret lives. The value is read each time it is needed, so rotating a token in the
 * environment of a running process (through `setSecret`) or in a file takes effect without a restart.
 */
export type SecretSource =
  { kind: 'env'; name: string } | { kind: 'file'; path: string } | { kind: 'value'; value: string };

export class MissingSecretError extends Error {
  readonly code = 'MISSING_SECRET';
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`${setting} is not set: ${detail}`);
    this.name = 'MissingSecretError';
  }
}

/** Reads the current value of a secret. Trailing newlines of secret files are dropped. */
export async function readSecret(setting: string, source: SecretSource): Promise<string> {
  switch (source.kind) {
    case 'value':
      return source.value;
    case 'env': {
      const value = process.env[source.name];
      if (!value)
        throw new MissingSecretError(setting, `environment variable ${source.name} is empty`);
      return value;
    }
    case 'file': {
      let text: string;
      try {
        text = await readFile(source.path, 'utf8');
      } catch (error) {
        throw new MissingSecretError(
          setting,
          `cannot read ${source.path}: ${(error as Error).message}`,
        );
      }
      const value = text.replace(/[\r\n]+$/, '');
      if (!value) throw new MissingSecretError(setting, `${source.path} is empty`);
      return value;
    }
  }
}

/** Describes a secret's source without its value, for logs and `config check`. */
export function describeSecret(source: SecretSource): string {
  switch (source.kind) {
    case 'env':
      return `environment variable ${source.name}`;
    case 'file':
      return `file ${source.path}`;
    case 'value':
      return 'inline value (redacted)';
  }
}
