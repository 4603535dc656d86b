import { html, trustedHtml, type Html } from "./html.js";
import { PAGE_STYLE } from "./page-style.js";

/**
 * A whole HTML document of the page: the one inline style sheet, a phone's viewport, and with
 * `refreshSeconds` a reload every so often (to `/`, so that an outcome shown once is not shown
 * again; without script, a meta refresh is the one way).
 */
export function renderDocument(title: string, body: Html, refreshSeconds: number | null = null): string {
  const refresh = refreshSeconds === null ? "" : html`<meta http-equiv="refresh" content="${`${refreshSeconds}; url=/`}">`;
  return `<!doctype html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">${refresh}<title>${title}</title><style>${trustedHtml(PAGE_STYLE)}</style></head>
<body><main>${body}</main></body></html>`.text}\n`;
}
