import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml, html, trustedHtml } from "./html.js";

test("html escapes every interpolated string: a script in a log line stays text, in content and in attributes", () => {
  const line = `<script>alert("x")</script> & 'quoted'`;
  assert.equal(html`<pre>${line}</pre>`.text, "<pre>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</pre>");
  assert.equal(html`<a title="${`" onmouseover="alert(1)`}">x</a>`.text, '<a title="&quot; onmouseover=&quot;alert(1)">x</a>');
});

test("html keeps its own fragments, joins arrays item by item, and leaves out null, undefined and false", () => {
  const items = ["<b>", html`<i>${"&"}</i>`, 3];
  assert.equal(html`<p>${items}${null}${undefined}${false}</p>`.text, "<p>&lt;b&gt;<i>&amp;</i>3</p>");
  assert.equal(html`${trustedHtml("<style>a>b{}</style>")}`.text, "<style>a>b{}</style>");
  assert.equal(escapeHtml("plain"), "plain");
});
