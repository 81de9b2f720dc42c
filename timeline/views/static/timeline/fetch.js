/* Fetching from a paged dashboard's server, with retry: the list's items by id and the text
   search's answers, sent again while the server is busy. retryAfter and backoff are pure
   (tests/js). */
/* global Timeline, _, num */
/* exported retryAfter, backoff */
// A request the server is too busy for (503 with Retry-After, from timeline/serve/limits.py),
// or that a proxy could not pass on (502, 504) or the network lost, is sent again after the
// wait the server asks for (at most MAX_WAIT s; without one, a short backoff with jitter),
// at most MAX_RETRIES times; then the list says so, with a "Try again" button.
var MAX_RETRIES = 4;
var MAX_WAIT = 30;
var TRANSIENT = [502, 503, 504];

// RFC 9110's HTTP-date, all in UTC: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete
// RFC 850 date ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"; it
// names no zone, and Date.parse alone would read it in the reader's). Date.parse alone would also
// take "1.5" or "-1" for dates in 2001, so a value of no such shape is not a date.
var GMT_DATE = /^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2}(?:\d{2})? \d{2}:\d{2}:\d{2} GMT$/;
var ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;
/* Seconds a Retry-After header asks to wait (a number of seconds or an HTTP-date; a date past
   is 0, at once), at most MAX_WAIT; null when it is missing or unreadable. */
function retryAfter(value) {
  value = String(value || "").trim();
  var date = GMT_DATE.test(value) ? value : ASCTIME.test(value) ? value + " GMT" : null;
  var s = /^\d+$/.test(value) ? Number(value) : date ? (Date.parse(date) - Date.now()) / 1000 : NaN;
  return isFinite(s) ? Math.min(Math.max(s, 0), MAX_WAIT) : null;
}
/* Seconds before try ``attempt`` + 1 when the server named no wait: 1, 2, 4, 8 s, each made
   up to half shorter at random, so that pages turned away together do not come back together. */
function backoff(attempt) {
  return Math.min(Math.pow(2, attempt), MAX_WAIT) * (1 - Math.random() / 2);
}

/* The text of an answer; a failed request rejects with an Error whose ``transient`` says
   whether trying again may help (and ``wait``, the seconds the server asked for, or null). */
Timeline.prototype.fetchText = function (url) {
  return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html, application/json" } })
    .then(function (r) {
      if (!r.ok) {
        var err = new Error(_("the server answered %(status)s", { status: r.status }));
        err.transient = TRANSIENT.indexOf(r.status) >= 0;
        err.busy = r.status === 503;
        err.wait = retryAfter(r.headers.get("Retry-After"));
        throw err;
      }
      return r.text();
    }, function () {
      var err = new Error(_("the server could not be reached"));
      err.transient = true; err.wait = null;
      throw err;
    });
};

/* ``run()`` (the requests of the newest action of its ``kind``: "list" or "select") and, when
   it fails for a reason that may pass, ``run()`` again after the wait, at most MAX_RETRIES
   times, while that action is still the newest (``current()``). The status line says why
   and when, until an answer comes. Rejects with the last error. */
Timeline.prototype.retried = function (kind, current, run) {
  var self = this;
  function attempt(n) {
    return run().then(function (value) {
      if (current()) self.say(kind, null);
      return value;
    }, function (err) {
      if (!current()) throw err;
      if (!err.transient || n >= MAX_RETRIES) { self.say(kind, null); throw err; }
      var wait = err.wait !== null && err.wait !== undefined ? err.wait : backoff(n);
      var secs = num(Math.max(1, Math.ceil(wait)));
      self.say(kind, err.busy ? _("The server is busy; trying again in %(seconds)s s.", { seconds: secs }) :
        _("The server cannot be reached; trying again in %(seconds)s s.", { seconds: secs }));
      var mine = {};
      return new Promise(function (go) {
        mine.go = go; mine.timer = setTimeout(go, wait * 1000);
        self.waits[kind] = mine;
      }).then(function () {
        if (self.waits[kind] === mine) delete self.waits[kind];
        if (!current()) throw err;
        return attempt(n + 1);
      });
    });
  }
  return attempt(0);
};

/* A newer action of this kind: a retry an older one still waits for is dropped (it sends
   nothing more; its promise settles as superseded), and so is what it said. */
Timeline.prototype.supersede = function (kind) {
  var w = this.waits[kind];
  delete this.waits[kind];
  if (w) { clearTimeout(w.timer); w.go(); }
  this.say(kind, null);
};

Timeline.prototype.say = function (kind, words) {
  if (words) this.said[kind] = words; else delete this.said[kind];
  if (!this.status) return;
  var lines = [];
  ["list", "select"].forEach(function (k) {
    var w = this.said[k];
    if (w && lines.indexOf(w) < 0) lines.push(w);
  }, this);
  if (this.status.textContent !== lines.join(" ")) this.status.textContent = lines.join(" ");
};

/* Load the list items of these event ids from the server: those neither loaded nor on
   their way already (a request in flight is shared, never sent twice). */
Timeline.prototype.load = function (ids) {
  if (this.paged.static) return this.loadFiles(ids); // a static site: files.js
  var self = this, loading = this.loading, missing = [], asks = [];
  ids.forEach(function (id) {
    if (self.items[id]) return;
    var ask = loading[id];
    if (!ask) missing.push(id);
    else if (asks.indexOf(ask) < 0) asks.push(ask);
  });
  var most = this.paged.max_ids; // events per request: the server's MAX_IDS (render.py)
  for (var k = 0; k < missing.length; k += most) {
    asks.push(this.fetchIds(missing.slice(k, k + most)));
  }
  return Promise.all(asks);
};

/* One request for these ids, then one for those the server left out of its answer (it sends
   what fits in its byte limit and names the rest, timeline/views/listing.py), until all came. */
Timeline.prototype.fetchIds = function (chunk) {
  var self = this, loading = this.loading;
  function done() { chunk.forEach(function (id) { if (loading[id] === ask) delete loading[id]; }); }
  function get(ids) {
    return self.fetchText(self.paged.src + "?ids=" + ids.map(encodeURIComponent).join(","))
      .then(function (body) {
        var answer = JSON.parse(body), t = document.createElement("template");
        t.innerHTML = answer.items;
        var lis = t.content.children;
        for (var j = 0; j < lis.length; j++) if (!self.items[lis[j].id.slice(6)]) self.register(lis[j]);
        var left = (answer.left || []).filter(function (id) { return !self.items[id]; });
        if (!left.length) return null;
        if (left.length >= ids.length) throw new Error(_("the server sent none of the events asked for"));
        return get(left);
      });
  }
  var ask = get(chunk).then(done, function (err) { done(); throw err; });
  chunk.forEach(function (id) { loading[id] = ask; });
  return ask;
};

/* The blocks of titles (numbers) the hover of these events (positions) needs and the page has
   not asked for: a long story's data on the dashboard comes without them (chart_parts.py). */
Timeline.prototype.titlesWanted = function (events) {
  var list = this.paged, want = [];
  if (this.ev.title || !list || !list.titles || !events) return want;
  for (var n = 0; n < events.length; n++) {
    var k = Math.floor(events[n] / list.titles_per);
    if (!this.titleAsks[k] && want.indexOf(k) < 0) want.push(k);
  }
  return want;
};

/* Fetch these blocks of titles (each once). Titles of another version of the data than the
   page's (it changed since) are dropped; a block that fails leaves its events' hover without a
   title: a hover is not worth an error. */
Timeline.prototype.loadTitles = function (blocks) {
  var self = this, list = this.paged;
  return Promise.all(blocks.map(function (k) {
    if (!self.titleAsks[k]) {
      self.titleAsks[k] = self.fetchText(list.titles.replace("{k}", k)).then(function (body) {
        var answer = JSON.parse(body), first = k * list.titles_per;
        if (answer.version !== self.ev.version) return;
        for (var j = 0; j < answer.titles.length; j++) self.titles[first + j] = answer.titles[j];
      }).catch(function () {});
    }
    return self.titleAsks[k];
  }));
};

/* A text search over every event of a paged list, answered by the server (and kept). */
Timeline.prototype.search = function (q) {
  if (this.paged.static) return this.searchFiles(q); // a static site: files.js
  var self = this, key = q.toLowerCase();
  if (!this.searches[key]) {
    this.searches[key] = this.fetchText(this.paged.search + "?q=" + encodeURIComponent(q))
      .then(JSON.parse, function (e) { delete self.searches[key]; throw e; });
  }
  return this.searches[key];
};

/* Say what went wrong (``err``; null: nothing); with ``retry``, a "Try again" button runs it. */
Timeline.prototype.trouble = function (err, retry) {
  if (!this.problem) return;
  this.problem.hidden = !err;
  this.problem.textContent = !err ? "" : retry ?
    _("Some events could not be loaded (%(reason)s).", { reason: err.message }) :
    _("Some events could not be loaded (%(reason)s). Reload the page to try again.", { reason: err.message });
  this.retryLast = err && retry || null;
  this.againButton.hidden = !this.retryLast;
};
