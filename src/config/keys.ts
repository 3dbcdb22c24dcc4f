/**
 * Every setting, once: its key and what a change to it does (plain Node: no `vscode`).
 * `test/unit/settings.test.ts` fails when this table and `contributes.configuration` disagree,
 * and `test/integration/support/harness.ts` resets exactly these keys.
 *
 * - `reload`: the shown query is fetched from Zoom again (its results change).
 * - `redraw`: the tree is drawn again from the pages already loaded (no request).
 * - `none`: nothing shown changes; the value is read when it is next needed.
 *
 * `client: true` marks what the Zoom client is built from: only those travel through ZoomService,
 * and a change to one of them makes the next request build a new client.
 */

export const SECTION = 'zoomOperationLogs';

/**
 * Everything the extension keeps in VS Code's globalState, once. Never a credential: those live in SecretStorage
 * (src/auth/credentialStore.ts).
 */
export const STATE_KEYS = {
  /** The account profiles: ids, names, base URLs (src/services/accounts.ts). */
  profiles: `${SECTION}.profiles`,
  /** The name a bearer-token user gave their account's archive, asked once (src/services/archiveService.ts). */
  archiveAccountName: `${SECTION}.archiveAccountName`,
  /** The UTC day the archive's horizon warning was last shown as a notification (src/views/archiveView.ts). */
  archiveWarningShownOn: `${SECTION}.archiveWarningShownOn`,
} as const;

export type SettingEffect = 'reload' | 'redraw' | 'none';

export interface SettingSpec {
  readonly effect: SettingEffect;
  readonly client: boolean;
}

export const SETTINGS = {
  apiBaseUrl: { effect: 'reload', client: true },
  oauthBaseUrl: { effect: 'reload', client: true },
  pageSize: { effect: 'reload', client: false },
  // Entries are grouped into dates as pages arrive, so another zone means grouping them again: a reload.
  timeZone: { effect: 'reload', client: false },
  defaultRange: { effect: 'none', client: false },
  maxRequestsPerSecond: { effect: 'none', client: true },
  requestTimeoutSeconds: { effect: 'none', client: true },
  csvFormulaGuard: { effect: 'none', client: false },
  // Findings are recomputed from the loaded entries (InsightsService); the tree redraws its severity colours.
  rules: { effect: 'redraw', client: false },
  trustedOperators: { effect: 'redraw', client: false },
  exportParsedColumns: { effect: 'none', client: false },
  maxExportInEditorMB: { effect: 'none', client: false },
  // Another folder is another archive: ArchiveService opens it and the view follows the archive's change event.
  archiveFolder: { effect: 'none', client: false },
  autoSync: { effect: 'none', client: false },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** Keys whose values the Zoom client is built from. */
export type ClientSettingKey = {
  [K in SettingKey]: (typeof SETTINGS)[K]['client'] extends true ? K : never;
}[SettingKey];

export const CLIENT_SETTING_KEYS = SETTING_KEYS.filter((k) => SETTINGS[k].client) as ClientSettingKey[];

/** `zoomOperationLogs.<key>`, as package.json and the Settings editor name it. */
export function fullKey(key: SettingKey): string {
  return `${SECTION}.${key}`;
}

/** The settings that differ between two snapshots. */
export function changedKeys<T extends Record<SettingKey, unknown>>(before: T, after: T): SettingKey[] {
  // List settings (rules, trusted operators) are read as new arrays each time: compare their JSON.
  const same = (a: unknown, b: unknown): boolean =>
    Object.is(a, b) || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
  return SETTING_KEYS.filter((k) => !same(before[k], after[k]));
}

/** What the view does after a change: the strongest effect among the changed keys. */
export function effectOf(changed: readonly SettingKey[]): SettingEffect {
  const effects: SettingEffect[] = changed.map((k) => SETTINGS[k].effect);
  if (effects.includes('reload')) return 'reload';
  if (effects.includes('redraw')) return 'redraw';
  return 'none';
}
