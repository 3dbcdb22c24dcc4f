import * as vscode from 'vscode';
import type { TimeZoneSetting } from '../model/timeZones';
import type { RangePreset } from '../model/ranges';
import {
  changedKeys,
  CLIENT_SETTING_KEYS,
  effectOf,
  SECTION,
  type ClientSettingKey,
  type SettingEffect,
  type SettingKey,
} from './keys';

export { SECTION };

/** The type of each setting's value. */
interface SettingTypes {
  apiBaseUrl: string;
  oauthBaseUrl: string;
  pageSize: number;
  timeZone: TimeZoneSetting;
  defaultRange: RangePreset;
  maxRequestsPerSecond: number;
  requestTimeoutSeconds: number;
  csvFormulaGuard: boolean;
  /** The raw value: compileRules() validates it and names each bad rule. */
  rules: unknown;
  trustedOperators: unknown;
  exportParsedColumns: boolean;
  maxExportInEditorMB: number;
  archiveFolder: string;
  autoSync: number;
}

/**
 * One value per key of SETTINGS in ./keys: a key there without a type here does not
 * compile, and neither does a value readSettings() returns for a key not there.
 */
export type Settings = { readonly [K in SettingKey]: SettingTypes[K] };

/** What the Zoom client is built from (the keys marked `client` in ./keys). */
export type ClientSettings = Pick<Settings, ClientSettingKey>;

export function clientSettings(s: Settings): ClientSettings {
  return Object.fromEntries(CLIENT_SETTING_KEYS.map((k) => [k, s[k]])) as unknown as ClientSettings;
}

/**
 * Reads the settings. The two base URLs are `application`-scoped in
 * package.json, and here only their global (user) value is read, so a
 * workspace's settings.json can never send the token elsewhere.
 */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const globalOnly = (key: SettingKey, fallback: string): string => {
    const v = c.inspect<string>(key);
    const value = v?.globalValue ?? v?.defaultValue ?? fallback;
    return typeof value === 'string' ? value.trim() : fallback;
  };
  const num = (key: SettingKey, fallback: number, min: number, max: number): number => {
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
    rules: c.get<unknown>('rules', []),
    trustedOperators: c.get<unknown>('trustedOperators', []),
    exportParsedColumns: c.get<boolean>('exportParsedColumns', false) === true,
    maxExportInEditorMB: num('maxExportInEditorMB', 64, 1, 400),
    archiveFolder: (c.get<string>('archiveFolder', '') ?? '').trim(),
    autoSync: num('autoSync', 0, 0, 1440),
  };
}

export interface SettingsChange {
  readonly before: Settings;
  readonly after: Settings;
  readonly changed: readonly SettingKey[];
  /** The strongest effect among the changed keys (see ./keys). */
  readonly effect: SettingEffect;
}

/**
 * The current settings for everything that uses them (the view, commands, ZoomService),
 * and one event per change that says which keys changed and what that does.
 */
export class SettingsStore implements vscode.Disposable {
  private value: Settings;
  private readonly changed = new vscode.EventEmitter<SettingsChange>();
  /** Fires once per change of our section that changed at least one value. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly read: () => Settings = readSettings) {
    this.value = read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) this.update();
    });
  }

  get current(): Settings {
    return this.value;
  }

  /** Reads the settings again and reports what changed (also called by the configuration event). */
  update(): SettingsChange | undefined {
    const before = this.value;
    const after = this.read();
    const changed = changedKeys(before, after);
    if (!changed.length) return undefined;
    this.value = after;
    const change: SettingsChange = { before, after, changed, effect: effectOf(changed) };
    this.changed.fire(change);
    return change;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
