import * as vscode from 'vscode';
import type { TimeZoneSetting } from '../model/timeZones';
import type { RangePreset } from '../model/ranges';

export const SECTION = 'zoomOperationLogs';

export interface Settings {
  readonly apiBaseUrl: string;
  readonly oauthBaseUrl: string;
  readonly pageSize: number;
  readonly timeZone: TimeZoneSetting;
  readonly defaultRange: RangePreset;
  readonly maxRequestsPerSecond: number;
  readonly requestTimeoutSeconds: number;
  readonly csvFormulaGuard: boolean;
}

/**
 * Reads the settings. The two base URLs are `application`-scoped in
 * package.json, and here only their global (user) value is read, so a
 * workspace's settings.json can never send the token elsewhere.
 */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const globalOnly = (key: string, fallback: string): string => {
    const v = c.inspect<string>(key);
    const value = v?.globalValue ?? v?.defaultValue ?? fallback;
    return typeof value === 'string' ? value.trim() : fallback;
  };
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const v = c.get<number>(key, fallback);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  const tz = c.get<string>('timeZone', 'local');
  return {
    apiBaseUrl: globalOnly('apiBaseUrl', 'https://api.zoom.us/v2'),
    oauthBaseUrl: globalOnly('oauthBaseUrl', 'https://zoom.us'),
    pageSize: Math.floor(num('pageSize', 300, 1, 300)),
    timeZone: tz === 'UTC' ? 'UTC' : 'local',
    defaultRange: c.get<RangePreset>('defaultRange', 'last7Days'),
    maxRequestsPerSecond: num('maxRequestsPerSecond', 10, 1, 80),
    requestTimeoutSeconds: num('requestTimeoutSeconds', 30, 1, 300),
    csvFormulaGuard: c.get<boolean>('csvFormulaGuard', true) !== false,
  };
}

/** Fires when any of our settings change. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
