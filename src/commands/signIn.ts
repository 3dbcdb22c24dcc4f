import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { SecretStoreError, type CredentialStore } from '../auth/credentialStore';
import type { Account, Accounts } from '../services/accounts';
import { cleanToken, tokenProblem, toZoomError, type Credentials } from '../zoom';

const S2S_HELP = 'https://developers.zoom.us/docs/internal-apps/create/';

/**
 * Asks for one value in a masked, trimmed, non-empty input box; `clean` reads what was typed, `check` says what is
 * wrong with it (shown under the box, which stays open).
 */
async function askSecret(
  title: string,
  prompt: string,
  step?: [number, number],
  clean: (v: string) => string = (v) => v.trim(),
  check: (v: string) => string | undefined = () => undefined,
): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: step ? `${title} (${step[0]}/${step[1]})` : title,
    prompt,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const c = clean(v);
      return c ? check(c) : vscode.l10n.t('This cannot be empty.');
    },
  });
  return (value !== undefined && clean(value)) || undefined;
}

function text(arg: unknown): string | undefined {
  return typeof arg === 'string' && arg.trim() ? arg.trim() : undefined;
}

async function save(store: CredentialStore, credentials: Credentials, done: string): Promise<boolean> {
  try {
    await store.store(credentials);
    void vscode.window.showInformationMessage(done);
    return true;
  } catch (e) {
    const message =
      e instanceof SecretStoreError
        ? e.message
        : vscode.l10n.t(
            'VS Code could not save your Zoom credentials in its secret storage. Nothing was written anywhere else.',
          );
    void vscode.window.showErrorMessage(message);
    return false;
  }
}

/** The account a sign-in command acts on: a root node's, `{ account }`, the only one, or the one picked. */
type PickAccount = (arg: unknown, title: string) => Promise<Account | undefined>;

/**
 * `Zoom: Set Access Token`, `Zoom: Sign In with Server-to-Server OAuth`, `Zoom: Sign Out`, each for
 * one account (picked when there are several). Arguments (for tests and keybindings) skip the input
 * boxes: setToken(token, { account }), signInS2S({ accountId, clientId, clientSecret, account }).
 */
export function registerSignInCommands(
  context: vscode.ExtensionContext,
  accounts: Accounts,
  pickAccount: PickAccount,
): void {
  /** "Zoom access token saved…" with the account's name when there are several. */
  const named = (account: Account, message: string): string =>
    accounts.several ? `${account.name}: ${message}` : message;
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setToken, async (arg?: unknown, target?: unknown): Promise<boolean> => {
      const account = await pickAccount(
        typeof arg === 'string' ? target : arg,
        vscode.l10n.t('Zoom: Set Access Token'),
      );
      if (!account) return false;
      const store = account.credentials;
      const given = text(arg);
      const token =
        given !== undefined
          ? cleanToken(given)
          : await askSecret(
              vscode.l10n.t('Zoom: Set Access Token'),
              vscode.l10n.t(
                "Paste a Zoom access token with the scope report:read:admin. It is kept in VS Code's secret storage only.",
              ),
              undefined,
              cleanToken,
              tokenProblem,
            );
      if (!token) return false;
      const problem = tokenProblem(token);
      if (problem) {
        void vscode.window.showErrorMessage(`${problem} ${vscode.l10n.t('Nothing was saved.')}`);
        return false;
      }
      return save(
        store,
        { kind: 'token', token },
        named(account, vscode.l10n.t('Zoom access token saved in secret storage.')),
      );
    }),

    vscode.commands.registerCommand(COMMANDS.signInS2S, async (arg?: unknown): Promise<boolean> => {
      const a = (arg && typeof arg === 'object' ? arg : {}) as Record<string, unknown>;
      const account = await pickAccount(arg, vscode.l10n.t('Zoom: Sign In with Server-to-Server OAuth'));
      if (!account) return false;
      const store = account.credentials;
      const zoom = account.zoom;
      const title = accounts.several
        ? vscode.l10n.t('Zoom: Sign In {0} with Server-to-Server OAuth', account.name)
        : vscode.l10n.t('Zoom: Sign In with Server-to-Server OAuth');
      const accountId =
        text(a.accountId) ??
        (await askSecret(
          title,
          vscode.l10n.t('Account ID of your Server-to-Server OAuth app (App Credentials page).'),
          [1, 3],
        ));
      if (!accountId) return false;
      const clientId = text(a.clientId) ?? (await askSecret(title, vscode.l10n.t('Client ID of the app.'), [2, 3]));
      if (!clientId) return false;
      const clientSecret =
        text(a.clientSecret) ??
        (await askSecret(
          title,
          vscode.l10n.t("Client secret of the app. It is kept in VS Code's secret storage only."),
          [3, 3],
        ));
      if (!clientSecret) return false;
      const credentials: Credentials = { kind: 's2s', accountId, clientId, clientSecret };

      // Ask Zoom for a token and one entry of the report first, so a wrong value, a missing
      // scope or a missing plan/role permission is named now, not at the first expansion.
      try {
        await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: vscode.l10n.t('Checking the Server-to-Server OAuth app with Zoom…'),
            cancellable: true,
          },
          (_progress, cancel) => {
            const controller = new AbortController();
            cancel.onCancellationRequested(() => controller.abort());
            return zoom.checkCredentials(credentials, controller.signal);
          },
        );
      } catch (e) {
        const err = toZoomError(e);
        if (err.kind === 'cancelled') return false;
        if (err.kind === 'oauth' || err.kind === 'config') {
          const tryAgain = vscode.l10n.t('Try Again');
          const howTo = vscode.l10n.t('How to Create the App');
          void vscode.window.showErrorMessage(err.message, tryAgain, howTo).then((pick) => {
            if (pick === tryAgain) void vscode.commands.executeCommand(COMMANDS.signInS2S, { account: account.id });
            if (pick === howTo) void vscode.env.openExternal(vscode.Uri.parse(S2S_HELP));
          });
          return false;
        }
        if (err.missingScope || err.kind === 'permission') {
          // The credentials themselves are right: keep them, and say what to change in Zoom.
          const saved = await save(
            store,
            credentials,
            named(account, vscode.l10n.t('Zoom Server-to-Server OAuth credentials saved.')),
          );
          const checkSetup = vscode.l10n.t('Check Setup');
          void vscode.window.showErrorMessage(err.message, checkSetup).then((pick) => {
            if (pick === checkSetup) void vscode.commands.executeCommand(COMMANDS.checkSetup, { account: account.id });
          });
          return saved;
        }
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'Could not check the app with Zoom now ({0}) The credentials are saved; they will be used at the next request.',
            err.message,
          ),
        );
      }
      return save(store, credentials, named(account, vscode.l10n.t('Signed in to Zoom with Server-to-Server OAuth.')));
    }),

    vscode.commands.registerCommand(COMMANDS.signOut, async (arg?: unknown): Promise<void> => {
      const account = await pickAccount(arg, vscode.l10n.t('Zoom: Sign Out'));
      if (!account) return;
      try {
        await account.credentials.clear();
        void vscode.window.showInformationMessage(
          named(account, vscode.l10n.t('Signed out of Zoom; the credentials were removed from secret storage.')),
        );
      } catch (e) {
        void vscode.window.showErrorMessage(
          e instanceof Error ? e.message : vscode.l10n.t('Could not remove the credentials.'),
        );
      }
    }),
  );
}
