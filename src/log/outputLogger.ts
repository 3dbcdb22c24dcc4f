import type * as vscode from 'vscode';
import { formatSummary, type RequestSummary, type ZoomLogger } from '../zoom';

/**
 * Sends the Zoom layer's summaries to the "Zoom Operation Logs" log channel. With several
 * accounts, `account()` names the one each line belongs to (`[Acme] GET ...`); it is read per
 * line, so a rename shows at once.
 */
export function outputChannelLogger(channel: vscode.LogOutputChannel, account?: () => string | undefined): ZoomLogger {
  const tag = (m: string): string => {
    const name = account?.();
    return name ? `[${name}] ${m}` : m;
  };
  return {
    request(s: RequestSummary) {
      const line = tag(formatSummary(s));
      if (s.status >= 200 && s.status < 300) channel.info(line);
      else channel.warn(line);
    },
    info: (m) => channel.info(tag(m)),
    warn: (m) => channel.warn(tag(m)),
  };
}
