import type { Settings } from '../config/settings';
import { openProfileStore } from './store';
import type { ProfileStore } from './types';

/**
 * Opens the profile store the settings name: PostgreSQL when `databaseUrl` is set, else SQLite at
 * `sqlitePath`, with the VIP threshold of the signal settings so the store records when a customer
 * qualified. Every command opens the store through here, so they all agree.
 */
export function openProfileStoreFor(
  settings: Settings,
  overrides: { databaseUrl?: string } = {},
): Promise<ProfileStore> {
  const vip = settings.signals.config.vip;
  return openProfileStore({
    databaseUrl: overrides.databaseUrl ?? settings.databaseUrl,
    sqlitePath: settings.sqlitePath,
    vipThreshold: vip.enabled ? vip.threshold : undefined,
  });
}
