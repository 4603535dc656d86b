import { HAND_WRITTEN_MARK } from "./report.js";

/** A Markdown document cut at its `## ` headings: what comes before the first, then each section with its heading. */
interface Cut {
  head: string;
  sections: Array<{ title: string; text: string }>;
}

/**
 * `committed` (RESULTS.md) with the sections of `partial` (a rendered run of some parts only) in
 * place of the generated sections of the same title; a section it did not have goes after its
 * last generated one (a full run puts it back in order). The header, the other sections and the
 * hand-written part are kept as they are, so a part can be run again alone.
 */
export function mergeResults(committed: string, partial: string): string {
  const mark = committed.indexOf(HAND_WRITTEN_MARK);
  const generated = mark === -1 ? committed : committed.slice(0, mark);
  const handWritten = mark === -1 ? "" : committed.slice(mark).trimEnd();
  const old = cutSections(generated);
  const fresh = cutSections(partial.includes(HAND_WRITTEN_MARK) ? partial.slice(0, partial.indexOf(HAND_WRITTEN_MARK)) : partial).sections;
  const sections = old.sections.map((section) => fresh.find((s) => s.title === section.title) ?? section);
  sections.push(...fresh.filter((s) => !old.sections.some((section) => section.title === s.title)));
  const parts = [old.head.trimEnd(), ...sections.map((section) => section.text.trimEnd())];
  if (handWritten !== "") parts.push(handWritten);
  return `${parts.join("\n\n")}\n`;
}

function cutSections(text: string): Cut {
  const [head = "", ...rest] = text.split(/^(?=## )/m);
  return { head, sections: rest.map((section) => ({ title: section.slice(0, section.indexOf("\n")).trim(), text: section })) };
}
