import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { CLOUDS, nameProblem, type Cloud } from '../auth/profileModel';
import { nameMessage, type Account, type Accounts } from '../services/accounts';
import { checkBaseUrl } from '../zoom';

/** Arguments that skip the input boxes (tests, keybindings). */
export interface AddAccountArgs {
  name?: string;
  /** `zoom` (the base URL settings, zoom.us by default) or `zoomgov`. */
  cloud?: Cloud;
  /** Custom base URLs (https, or http on loopback); both or neither. */
  apiBaseUrl?: string;
  oauthBaseUrl?: string;
  /** Ask how to sign in afterwards (default true; false for tests). */
  signIn?: boolean;
}

type PickAccount = (arg: unknown, title: string) => Promise<Account | undefined>;

/**
 * Add Zoom Account, Rename Zoom Account, Remove Zoom Account. Adding asks a name, the cloud
 * (Zoom, ZoomGov, or custom base URLs) and then how to sign in; removing deletes the account's
 * secrets and nothing else, after a modal confirmation.
 */
export function registerAccountCommands(
  context: vscode.ExtensionContext,
  accounts: Accounts,
  pickAccount: PickAccount,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.addAccount, async (args?: AddAccountArgs) => {
      const a = args && typeof args === 'object' ? args : {};
      const title = vscode.l10n.t('Zoom: Add Zoom Account');
      const name =
        typeof a.name === 'string'
          ? a.name
          : await vscode.window.showInputBox({
              title: `${title} (1/3)`,
              prompt: vscode.l10n.t('A name for this account, shown in the tree, in exports and in the log.'),
              placeHolder: vscode.l10n.t('for example: Acme production, Acme sub account, ZoomGov test'),
              ignoreFocusOut: true,
              validateInput: (v) => {
                const problem = nameProblem(
                  v,
                  accounts.all.map((x) => x.profile),
                );
                return problem && nameMessage(problem);
              },
            });
      if (name === undefined) return undefined;
      const urls = await chooseUrls(a, title);
      if (!urls) return undefined;
      let account: Account;
      try {
        account = await accounts.add(name, urls);
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        return undefined;
      }
      if (a.signIn !== false) {
        const s2s = vscode.l10n.t('Server-to-Server OAuth app');
        const token = vscode.l10n.t('Access token');
        const how = await vscode.window.showQuickPick(
          [
            {
              label: s2s,
              detail: vscode.l10n.t('Account ID, client ID and client secret; tokens renew by themselves.'),
            },
            { label: token, detail: vscode.l10n.t('A token you got elsewhere; it expires after an hour.') },
          ],
          { title: `${title} (3/3)`, placeHolder: vscode.l10n.t('How do you sign in to {0}?', account.name) },
        );
        if (how?.label === s2s) await vscode.commands.executeCommand(COMMANDS.signInS2S, { account: account.id });
        else if (how?.label === token) await vscode.commands.executeCommand(COMMANDS.setToken, { account: account.id });
      }
      return { id: account.id, name: account.name };
    }),

    vscode.commands.registerCommand(COMMANDS.renameAccount, async (arg?: unknown, newName?: unknown) => {
      const account = await pickAccount(arg, vscode.l10n.t('Zoom: Rename Zoom Account'));
      if (!account) return false;
      const name =
        typeof newName === 'string'
          ? newName
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Zoom: Rename Zoom Account'),
              value: account.name,
              prompt: vscode.l10n.t(
                'The new name of "{0}". Its credentials and archive stay as they are.',
                account.name,
              ),
              validateInput: (v) => {
                const problem = nameProblem(
                  v,
                  accounts.all.map((x) => x.profile),
                  account.id,
                );
                return problem && nameMessage(problem);
              },
            });
      if (name === undefined) return false;
      try {
        await accounts.rename(account, name);
        return true;
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        return false;
      }
    }),

    vscode.commands.registerCommand(COMMANDS.removeAccount, async (arg?: unknown, options?: { confirm?: boolean }) => {
      const account = await pickAccount(arg, vscode.l10n.t('Zoom: Remove Zoom Account'));
      if (!account) return false;
      if (options?.confirm !== false) {
        const remove = vscode.l10n.t('Remove');
        const pick = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove the Zoom account "{0}"?', account.name),
          {
            modal: true,
            detail: vscode.l10n.t(
              'Its credentials are deleted from secret storage. Other accounts, the settings and archived files on disk are kept.',
            ),
          },
          remove,
        );
        if (pick !== remove) return false;
      }
      try {
        await accounts.remove(account);
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        return false;
      }
      vscode.window.setStatusBarMessage(vscode.l10n.t('Removed the Zoom account "{0}".', account.name), 5000);
      return true;
    }),
  );
}

/** The account's base URLs: the arguments, else a pick of Zoom, ZoomGov or custom URLs (checked). */
async function chooseUrls(
  a: AddAccountArgs,
  title: string,
): Promise<{ apiBaseUrl?: string; oauthBaseUrl?: string } | undefined> {
  if (a.apiBaseUrl !== undefined || a.oauthBaseUrl !== undefined) {
    try {
      checkBaseUrl(String(a.apiBaseUrl ?? ''), vscode.l10n.t('API base URL'));
      checkBaseUrl(String(a.oauthBaseUrl ?? ''), vscode.l10n.t('OAuth base URL'));
    } catch (e) {
      void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
      return undefined;
    }
    return { apiBaseUrl: a.apiBaseUrl, oauthBaseUrl: a.oauthBaseUrl };
  }
  if (a.cloud === 'zoom' || a.cloud === 'zoomgov') return { ...CLOUDS[a.cloud] };
  const custom = vscode.l10n.t('Other base URLs…');
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: 'Zoom', // l10n-ignore: a product name
        description: 'zoom.us', // l10n-ignore: a host name
        detail: vscode.l10n.t('The base URL settings (zoom.us unless changed).'),
        cloud: 'zoom' as const,
      },
      {
        label: 'ZoomGov', // l10n-ignore: a product name
        description: 'zoomgov.com', // l10n-ignore: a host name
        detail: vscode.l10n.t('api.zoomgov.com and zoomgov.com for OAuth.'),
        cloud: 'zoomgov' as const,
      },
      {
        label: custom,
        detail: vscode.l10n.t('A proxy or a test server (https, or http on this machine).'),
        cloud: undefined,
      },
    ],
    { title: `${title} (2/3)`, placeHolder: vscode.l10n.t('Where is this account?') },
  );
  if (!pick) return undefined;
  if (pick.cloud) return { ...CLOUDS[pick.cloud] };
  const ask = async (prompt: string, value: string, label: string): Promise<string | undefined> =>
    (
      await vscode.window.showInputBox({
        // Each box names its URL in its title: the two follow each other and otherwise look alike.
        title: `${title} (2/3): ${label}`,
        prompt,
        value,
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            checkBaseUrl(v.trim(), label);
            return undefined;
          } catch (e) {
            return e instanceof Error ? e.message : String(e);
          }
        },
      })
    )?.trim();
  const api = await ask(
    vscode.l10n.t('API base URL, ending in /v2'),
    'https://api.zoom.us/v2',
    vscode.l10n.t('API base URL'),
  );
  if (!api) return undefined;
  const oauth = await ask(
    vscode.l10n.t('OAuth base URL (where /oauth/token is)'),
    'https://zoom.us',
    vscode.l10n.t('OAuth base URL'),
  );
  if (!oauth) return undefined;
  return { apiBaseUrl: api, oauthBaseUrl: oauth };
}
