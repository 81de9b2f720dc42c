/* A static site's long list (timeline/publish/sitelist.py): its list items, the chart's data and
   the search index come as script files, each handing its value to window.__timelinePut (a page
   opened from disk may load scripts, never fetch() a file). The list is paged from them as the
   dashboard's is from its server (fetch.js load and search call these). queryWords,
   decodePostings and matchPostings are pure (tests/js). */
/* global Timeline */
/* exported getScript, queryWords, decodePostings, matchPostings */
var arrived = {}; // key -> the value a script file handed over, until its loader takes it
var scriptsAsked = {}; // url -> the promise of its value
if (typeof window !== "undefined") window.__timelinePut = function (key, value) { arrived[key] = value; };
// A word: a run of letters, digits and _ in any script (Python's \w, as sitesearch.terms reads them);
// where a browser lacks Unicode classes, anything but spaces and ASCII punctuation.
var WORD_RE = (function () {
  try { return new RegExp("[\\p{L}\\p{N}_]+", "gu"); } catch (e) { return /[^\s!-/:-@[-^`{-~]+/g; }
})();

/* The value the script file at ``url`` hands over under ``key`` (each file loaded once). */
function getScript(url, key) {
  if (!scriptsAsked[url]) {
    scriptsAsked[url] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      function fail() {
        delete scriptsAsked[url];
        var err = new Error("the file " + url + " could not be loaded");
        err.transient = false;
        reject(err);
      }
      s.src = url;
      s.onload = function () {
        s.parentNode.removeChild(s);
        if (!Object.prototype.hasOwnProperty.call(arrived, key)) { fail(); return; }
        var value = arrived[key];
        delete arrived[key];
        resolve(value);
      };
      s.onerror = function () { s.parentNode.removeChild(s); fail(); };
      document.head.appendChild(s);
    });
  }
  return scriptsAsked[url];
}

/* The list items of these event ids: the files holding them (CHUNK events each, in reading order). */
Timeline.prototype.loadFiles = function (ids) {
  var self = this, per = this.paged.per, want = [];
  ids.forEach(function (id) {
    var k = Math.floor(self.pos.get(id) / per);
    if (!self.items[id] && isFinite(k) && want.indexOf(k) < 0) want.push(k);
  });
  return Promise.all(want.map(function (k) {
    return getScript(self.paged.items.replace("{k}", k), "items/" + k).then(function (html) {
      var t = document.createElement("template");
      t.innerHTML = html;
      Array.prototype.slice.call(t.content.children).forEach(function (li) {
        if (!self.items[li.id.slice(6)]) self.register(li);
      });
    });
  }));
};

/* The words of a search, as the index holds them (sitesearch.terms: runs of letters, digits, _). */
function queryWords(q) {
  var words = String(q || "").toLowerCase().match(WORD_RE) || [], out = [];
  words.forEach(function (w) { if (out.indexOf(w) < 0) out.push(w); });
  return out;
}

/* A term's positions (sitesearch.encode: "b" and a base64 bitmap, or "d" and base-36 gaps) as flags. */
function decodePostings(code, n, into) {
  var out = into || new Uint8Array(n), i, j;
  if (!code) return out;
  if (code.charAt(0) === "b") {
    var bin = atob(code.slice(1));
    for (j = 0; j < bin.length; j++) {
      var b = bin.charCodeAt(j);
      for (var k = 0; b && k < 8; k++) if (b & (1 << k) && (i = j * 8 + k) < n) out[i] = 1;
    }
  } else {
    var last = 0, gaps = code.slice(1).split(",");
    for (j = 0; j < gaps.length; j++) { last += parseInt(gaps[j], 36); if (last < n) out[last] = 1; }
  }
  return out;
}

/* Which events and claims hold every word: ``shards`` maps term -> [events, claims] (encoded); a
   word of two letters or more matches the terms it begins, a shorter one itself only. ``cv`` is
   each event's claims' verdicts (their number). The answer is the server's (listing.py search):
   {events: [i, ...], claims: {i: [k, ...]}} for events matched only through some of their claims. */
function matchPostings(words, shards, cv) {
  var n = cv.length, first = [], nc = 0, i, k;
  for (i = 0; i < n; i++) { first.push(nc); nc += cv[i].length; }
  var E = null, C = null;
  words.forEach(function (w) {
    var e = new Uint8Array(n), c = new Uint8Array(nc);
    shards.forEach(function (terms) {
      for (var t in terms) {
        if (t === w || (w.length >= 2 && t.indexOf(w) === 0)) {
          decodePostings(terms[t][0], n, e);
          decodePostings(terms[t][1], nc, c);
        }
      }
    });
    if (E) for (k = 0; k < n; k++) E[k] &= e[k]; else E = e;
    if (C) for (k = 0; k < nc; k++) C[k] &= c[k]; else C = c;
  });
  var events = [], claims = {};
  for (i = 0; i < n; i++) {
    var ranks = [];
    if (!E[i]) for (k = 0; k < cv[i].length; k++) if (C[first[i] + k]) ranks.push(k);
    if (E[i] || ranks.length) events.push(i);
    if (ranks.length) claims[i] = ranks;
  }
  return { events: events, claims: claims };
}

/* The shards (their numbers) that hold the terms ``words`` may begin. */
function shardsFor(index, words) {
  var need = [];
  index.keys.forEach(function (prefix, i) {
    var wanted = words.some(function (w) {
      return w.indexOf(prefix) === 0 || (w.length >= 2 && prefix.indexOf(w) === 0);
    });
    if (wanted) need.push(i);
  });
  return need;
}

function getShard(index, i) {
  return getScript(index.file.replace("{i}", i), "search/" + i);
}

/* Start loading the shards the words typed so far need, while the search box waits for the typing
   to pause (list.js): when the search runs, its shards are here or on their way. A failure here is
   the search's to report. */
Timeline.prototype.prefetchFiles = function (q) {
  var index = this.paged && this.paged.static && this.paged.search, words = queryWords(q);
  if (!index || words.every(function (w) { return w.length < 2; })) return;
  shardsFor(index, words).forEach(function (i) { getShard(index, i).catch(function () {}); });
};

/* A search over every event and claim from the index's shards: only those of the words' prefixes. */
Timeline.prototype.searchFiles = function (q) {
  var self = this, words = queryWords(q), index = this.paged.search, key = words.join(" ");
  if (!words.length) return Promise.resolve({ events: this.all.slice(), claims: {} });
  if (!this.searches[key]) {
    this.searches[key] = Promise.all(shardsFor(index, words).map(function (i) {
      return getShard(index, i);
    })).then(function (shards) {
      return matchPostings(words, shards, self.ev.cv);
    }, function (e) { delete self.searches[key]; throw e; });
  }
  return this.searches[key];
};
