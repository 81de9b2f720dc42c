// The static site's search (files.js): the words of a query, a term's postings as the build
// writes them (timeline/publish/sitelist.py encode), and the events and claims a query finds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

const { queryWords, decodePostings, matchPostings } = load("files.js");
const flags = (a) => Array.from(a).flatMap((f, i) => (f ? [i] : []));
// sitesearch.encode([0, 3, 9], 12) == "b" + base64 of the bitmap, least significant bit first
const bitmap = (ids, n) => {
  const bytes = new Uint8Array(Math.ceil(n / 8));
  ids.forEach((i) => { bytes[i >> 3] |= 1 << (i & 7); });
  return "b" + Buffer.from(bytes).toString("base64");
};

test("a query's words: lower case, runs of letters and digits in any script, each once", () => {
  assert.deepEqual([...queryWords("Pompeo, POMPEO said: 1,234")], ["pompeo", "said", "1", "234"]);
  assert.deepEqual([...queryWords("  سلیمانی  Müller_x ")], ["سلیمانی", "müller_x"]);
  assert.deepEqual([...queryWords("!?")], []);
});

test("postings are read from a bitmap or from base-36 gaps", () => {
  assert.deepEqual(flags(decodePostings(bitmap([0, 3, 9], 12), 12)), [0, 3, 9]);
  assert.deepEqual(flags(decodePostings("d0,3,z", 60)), [0, 3, 38]);
  assert.deepEqual(flags(decodePostings("", 5)), []);
});

test("every word must be in the event's card or in one claim; a short word matches itself only", () => {
  // three events with 2, 0 and 1 claims: claims 0 and 1 are event 0's, claim 2 is event 2's
  const cv = [[0, 1], [], [2]];
  const shards = [
    { pompeo: ["d1", "d0,2"], press: ["d0,1", "d1"], pr: ["d2", ""] },
    { a: ["d0", ""], ab: ["d1", ""] },
  ];
  // "pompeo" alone: event 1 by its card, events 0 and 2 through claims 0 and 2
  assert.deepEqual(JSON.parse(JSON.stringify(matchPostings(["pompeo"], shards, cv))),
    { events: [0, 1, 2], claims: { 0: [0], 2: [0] } });
  // "pompeo pre": event 1's card holds both (press begins with pre); no claim holds both
  assert.deepEqual(JSON.parse(JSON.stringify(matchPostings(["pompeo", "pre"], shards, cv))),
    { events: [1], claims: {} });
  // "a" is a whole word: "ab" does not match it
  assert.deepEqual(Array.from(matchPostings(["a"], shards, cv).events), [0]);
});
