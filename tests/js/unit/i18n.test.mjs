// The page's words in the story's language (i18n.js): the plural rule parsed from a catalogue's
// Plural-Forms expression (Arabic's six forms), messages and their fallback, numbers and dates.
import { test } from "node:test";
import assert from "node:assert/strict";
import { load } from "./load.mjs";

// The shipped catalogues' expressions (timeline/i18n/locales/*/LC_MESSAGES/timeline.po).
const AR = "(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 && n % 100 <= 99 ? 4 : 5)";
const FR = "(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2";
const FA = "(n > 1)";

test("Arabic's six plural forms: zero, one, two, few, many, other", () => {
  const { pluralIndex } = load();
  const ar = pluralIndex(AR);
  const forms = [0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111, 1000].map(ar);
  assert.deepEqual(forms, [0, 1, 2, 3, 3, 4, 4, 5, 5, 3, 4, 5]);
});

test("French and Persian: one for 0 and 1 in French; Persian's singular after a number up to 1", () => {
  const { pluralIndex } = load();
  assert.deepEqual([0, 1, 2, 1000000, 2000001].map(pluralIndex(FR)), [0, 0, 2, 1, 2]);
  assert.deepEqual([0, 1, 2, 5].map(pluralIndex(FA)), [0, 0, 1, 1]);
  assert.deepEqual([0, 1, 2].map(pluralIndex("(n != 1)")), [1, 0, 1]);
  assert.deepEqual([0, 1].map(pluralIndex("!n")), [1, 0]);
});

test("an expression that is not C's grammar is refused, never run", () => {
  const { pluralIndex } = load();
  assert.throws(() => pluralIndex("n == 1 ? 0"), /Plural-Forms/);
  assert.throws(() => pluralIndex("alert(1)"), /Plural-Forms/);
  assert.throws(() => pluralIndex("(n == 1"), /Plural-Forms/);
});

test("messages come from the page's data, in the form the count takes; untranslated ones as written", () => {
  const ctx = load();
  const events = ["%(num)s event", "%(num)s events"];
  assert.equal(ctx.ngettext(...events, 1, { num: 1 }), "1 event");
  assert.equal(ctx.ngettext(...events, 3, { num: 3 }), "3 events");
  ctx.setLanguage({
    tag: "ar", dir: "rtl", digits: "latn", plural: AR,
    messages: {
      Close: "إغلاق",
      "%(num)s event": ["لا أحداث", "حدث واحد", "حدثان", "%(num)s أحداث", "%(num)s حدثًا", "%(num)s حدث"],
    },
  });
  assert.equal(ctx._("Close"), "إغلاق");
  assert.equal(ctx._("Filter"), "Filter"); // not translated: as written
  const said = [0, 1, 2, 3, 11, 100].map((n) => ctx.ngettext(...events, n, { num: ctx.num(n) }));
  assert.deepEqual(said, ["لا أحداث", "حدث واحد", "حدثان", "3 أحداث", "11 حدثًا", "100 حدث"]);
});

test("numbers and dates in the language's digits and calendar: 3 January 2020 in Persian", () => {
  const ctx = load("zones.js");
  ctx.setLanguage({ tag: "fa", dir: "rtl", digits: "arabext", calendar: "persian", plural: FA, messages: {} });
  assert.equal(ctx.num(1234), "۱٬۲۳۴");
  const day = Date.UTC(2020, 0, 3) / 1000;
  const ev = { s: [day], p: [2], own: [210], london: [0] };
  assert.equal(ctx.dateLabel(ev, 0, "own"), "جمعه ۱۳ دی ۱۳۹۸");
  assert.equal(ctx.dateLabel({ ...ev, p: [1] }, 0, "own"), "دی–بهمن ۱۳۹۸");
  assert.equal(ctx.dateLabel({ ...ev, p: [0] }, 0, "own"), "۱۳۹۸–۱۳۹۹");
  assert.equal(ctx.zoneTitle("utc"), "UTC");
  assert.equal(ctx.fmt("%(a)s and %(b)s", { a: 1 }), "1 and %(b)s");
});

test("the axis' ticks: months from the year's first, or years, at most as many as fit", () => {
  const { pickTicks } = load("chart.js");
  const ms = [], m = [], y = [], month = [], year = [];
  for (let k = 0; k < 36; k++) {
    ms.push(Date.UTC(2019, k, 1)); m.push((k % 12) + 1); y.push(2019 + Math.floor(k / 12));
    month.push("m" + k); year.push(String(2019 + Math.floor(k / 12)));
  }
  const ticks = { ms, m, y, month, year };
  const three = pickTicks(ticks, Date.UTC(2019, 0, 1), Date.UTC(2019, 3, 1), 8);
  assert.deepEqual(Array.from(three.text), ["m0", "m1", "m2", "m3"]);
  const all = pickTicks(ticks, Date.UTC(2019, 0, 1), Date.UTC(2021, 11, 1), 4);
  assert.deepEqual(Array.from(all.text), ["2019", "2020", "2021"]);
});
