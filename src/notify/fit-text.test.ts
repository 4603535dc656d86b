import { test } from "node:test";
import assert from "node:assert/strict";
import { cutMarker, ellipsis, fitText, utf8Bytes } from "./fit-text.js";

test("fitText leaves a text within the limit as it is (escaped)", () => {
  assert.deepEqual(fitText("a < b", { limit: 20 }), { text: "a < b", cut: 0 });
  assert.deepEqual(fitText("a < b", { limit: 20, escape: (c) => (c === "<" ? "&lt;" : c) }), { text: "a &lt; b", cut: 0 });
});

test("fitText cuts at the limit with a marker counting the characters left out", () => {
  const text = "x".repeat(200);
  const { text: fitted, cut } = fitText(text, { limit: 100 });
  assert.equal(fitted.length, 100);
  assert.equal(fitted, "x".repeat(100 - cutMarker(200).length) + cutMarker(cut));
  assert.equal(cut, 200 - (100 - cutMarker(200).length));
  assert.equal(cutMarker(3), "\n… (cut: 3 more characters; see `lifeguard history`)");
});

test("fitText never splits a surrogate pair: an emoji is kept whole or left out whole", () => {
  const text = "ab" + "😀".repeat(50);
  for (let limit = 60; limit <= 80; limit += 1) {
    const { text: fitted, cut } = fitText(text, { limit, marker: ellipsis });
    assert.ok(fitted.length <= limit, `${fitted.length} > ${limit}`);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(fitted), `a lone high surrogate at limit ${limit}`);
    assert.equal(Array.from(fitted).length - 1 + cut, 52, "the kept and the cut characters add up");
  }
});

test("fitText never splits an escape, and counts the escaped length", () => {
  const escape = (c: string) => (c === "&" ? "&amp;" : c);
  const { text } = fitText("&".repeat(100), { limit: 23, escape, marker: ellipsis });
  assert.equal(text, "&amp;".repeat(4) + "…");
});

test("fitText can count UTF-8 bytes (ntfy)", () => {
  const { text, cut } = fitText("é".repeat(100), { limit: 21, measure: utf8Bytes, marker: ellipsis });
  assert.ok(utf8Bytes(text) <= 21);
  assert.equal(text, "é".repeat(9) + "…");
  assert.equal(cut, 91);
});
