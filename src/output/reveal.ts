import * as vscode from 'vscode';

/** Shows a file or folder in the system's file manager: desktop VS Code has it, VS Code in a browser does not. */
const REVEAL_IN_OS = 'revealFileInOS';

/**
 * An information message with a button (`button`) that shows `file` in the system's file manager, offered only
 * where this VS Code can do that (in a browser the button would fail with "command not found").
 */
export async function informWithReveal(message: string, button: string, file: string): Promise<void> {
  const canReveal = (await vscode.commands.getCommands(true)).includes(REVEAL_IN_OS);
  void vscode.window.showInformationMessage(message, ...(canReveal ? [button] : [])).then((pick) => {
    if (pick) void vscode.commands.executeCommand(REVEAL_IN_OS, vscode.Uri.file(file));
  });
}
