/**
 * `${VAR}` is not valid YAML everywhere: in a flow map `{ path: ${LOG_DIR}/a.log }` the braces
 * would end the map. Before parsing, each reference is swapped for a placeholder of the same
 * length made of private-use characters (so every line and column stays the same); after
 * parsing, `restore` puts the reference back into the scalars, to be interpolated there.
 */

const REFERENCE = /\$\$|\$\{[^}\n]*\}/g;
const MARK = "\uF8FF";
const FILL = "\uF8FE";
const PLACEHOLDER = /\uF8FF[\uE000-\uEFFF]{2}\uF8FE*/g;
const DIGITS = 4096;

/** The text with references protected, and the inverse for any string taken from the parsed text. */
export function protectReferences(text: string): { text: string; restore(value: string): string } {
  // Text that already holds our marks is parsed as written (such a reference may then break a flow map).
  if (text.includes(MARK) || text.includes(FILL)) return { text, restore: (value) => value };
  const originals: string[] = [];
  const protectedText = text.replace(REFERENCE, (reference) => {
    // `$$` is not a reference; past 16M references the rest are left as written.
    if (reference === "$$" || originals.length >= DIGITS * DIGITS) return reference;
    const index = originals.push(reference) - 1;
    const digits = String.fromCharCode(0xe000 + Math.floor(index / DIGITS), 0xe000 + (index % DIGITS));
    return (MARK + digits).padEnd(reference.length, FILL);
  });
  const restore = (value: string): string =>
    value.replace(PLACEHOLDER, (placeholder) => {
      const index = ((placeholder.charCodeAt(1) - 0xe000) * DIGITS) + (placeholder.charCodeAt(2) - 0xe000);
      return originals[index] ?? placeholder;
    });
  return { text: protectedText, restore };
}
