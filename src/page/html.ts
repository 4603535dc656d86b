/**
 * HTML built so that no dynamic string can become markup: `html` escapes every value it is given
 * (a bot's log line, a service name, an error message) unless that value is itself `Html`, made by
 * `html` or, for the page's own constant markup only, `trustedHtml`. An injection needs a value
 * that skipped `html`, and the type system shows each such place.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What `html` takes in a `${...}`: escaped unless it is `Html`; an array is each of its items; null, undefined and false are nothing. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as HTML: safe in an element's content and in a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] as string);
}

/** The markup of a template whose every interpolated value is escaped (see `HtmlValue`). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let text = strings[0] ?? "";
  values.forEach((value, index) => {
    text += render(value) + (strings[index + 1] ?? "");
  });
  return new Html(text);
}

/** Markup written in the page's own code (the style sheet): never a value from outside. */
export function trustedHtml(text: string): Html {
  return new Html(text);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join("");
  return escapeHtml(String(value));
}
