import { toRawEntry } from '../zoom/rawEntry';
import type { OperationLogEntry } from '../zoom/types';

/** The entry in Zoom's JSON shape, pretty-printed with two spaces: the text shown, copied and opened. */
export function formatEntryJson(entry: OperationLogEntry): string {
  return JSON.stringify(toRawEntry(entry), null, 2);
}
