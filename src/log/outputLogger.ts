import type * as vscode from 'vscode';
import { formatSummary, type RequestSummary, type ZoomLogger } from '../zoom';

/** Sends the Zoom layer's summaries to the "Zoom Operation Logs" log channel. */
export function outputChannelLogger(channel: vscode.LogOutputChannel): ZoomLogger {
  return {
    request(s: RequestSummary) {
      const line = formatSummary(s);
      if (s.status >= 200 && s.status < 300) channel.info(line);
      else channel.warn(line);
    },
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
  };
}
