// The result line a test host prints (`PREFIX {json}`), read back by the scripts that run it (test.mjs,
// isolation.mjs). Node built-ins only: test.mjs imports this before node_modules exists.

/** Last "PREFIX {json}" line in the output, parsed; a line that does not parse is skipped. */
export function parseResult(lines, prefix) {
  for (let i = lines.length - 1; i >= 0; i--) {
    const at = lines[i].indexOf(prefix);
    if (at < 0) continue;
    try {
      return JSON.parse(lines[i].slice(at + prefix.length));
    } catch {
      /* keep looking */
    }
  }
  return undefined;
}
