import * as vscode from 'vscode';

/** Shows a file or folder in the system's file manager: desktop VS Code has it, VS Code in a browser does not. */
export const REVEAL_IN_OS = 'revealFileInOS';

/** Whether this VS Code can show a file in the system's file manager (offer the button only then). */
export async function canRevealInOS(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(REVEAL_IN_OS);
}
