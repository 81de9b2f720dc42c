// The filters kept in the address (select.js parseHash, formatHash).
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { parseHash, formatHash } = load("select.js");
const plain = (x) => JSON.parse(JSON.stringify(x)); // the context's objects, as this realm's

test("an anchor alone, as before", () => {
  assert.deepEqual(plain(parseHash("#event-strike")), { anchor: "event-strike", filters: {} });
  assert.deepEqual(plain(parseHash("")), { anchor: "", filters: {} });
  assert.deepEqual(plain(parseHash("#")), { anchor: "", filters: {} });
});

test("filters, with or without an anchor", () => {
  assert.deepEqual(plain(parseHash("#verdict=needs-context&q=cultural+sites")),
    { anchor: "", filters: { verdict: "needs-context", q: "cultural sites" } });
  assert.deepEqual(plain(parseHash("#event-x&actor=UK%20Government&from=2020-01-03")),
    { anchor: "event-x", filters: { actor: "UK Government", from: "2020-01-03" } });
});

test("unknown keys, empty values, defaults and bad escapes are left out or kept as written", () => {
  assert.deepEqual(plain(parseHash("#evil=1&verdict=&zone=own&lanes=actor&q=100%")),
    { anchor: "", filters: { lanes: "actor", q: "100%" } });
});

test("formatHash is parseHash's inverse, in a stable order", () => {
  const filters = { verdict: "accurate", q: "No 10 & the museums", zone: "utc", lanes: "category" };
  const hash = formatHash("", filters);
  assert.equal(hash, "#q=No+10+%26+the+museums&verdict=accurate&zone=utc");
  assert.deepEqual(plain(parseHash(hash)).filters, { q: "No 10 & the museums", verdict: "accurate", zone: "utc" });
  assert.equal(formatHash("event-x", { verdict: "disputed" }), "#event-x&verdict=disputed");
  assert.equal(formatHash("", {}), "");
});
