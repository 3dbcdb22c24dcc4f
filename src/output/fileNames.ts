/** A name as part of a file name: its letters, digits and dashes (at most 40), or `fallback` when none are left. */
export function fileNamePart(name: string, fallback: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || fallback
  );
}
