/* timeline.js: the chart, filters, search, time zones and card selection of a timeline page.
 *
 * Reads the JSON in #tl-data (see figure.chart_data) and the server-rendered list (#tl-list);
 * needs window.Plotly. Works the same in the Voila dashboard and the static snapshot: no
 * kernel is ever called.
 *
 * It draws the chart as soon as it runs, from #tl-data alone: a page may run it while the
 * rest of a long list is still being parsed (render.SCRIPTS_MARKER). The list, the filters
 * and deep links are taken up once the document is parsed (DOMContentLoaded); then
 * <html data-timeline-ready> is set. It mounts again if #timeline-app appears later.
 */
(function () {
  "use strict";
  // Above this many events in view, the chart shows groups: one marker per lane, verdict and
  // period (an hour to a decade, whichever keeps the view under MAX_BINS periods), sized by
  // how many events it holds. Zooming in (or filtering) regroups, down to single events.
  var GROUP_ABOVE = 5000;
  var MAX_BINS = 200;
  var HOUR = 3600000, DAY = 86400000;
  var BINS = [HOUR, 6 * HOUR, DAY, 7 * DAY, 30 * DAY, 91 * DAY, 365 * DAY, 3652 * DAY];
  // A request the server is too busy for (503 with Retry-After, from timeline/serve/limits.py),
  // or that a proxy could not pass on (502, 504) or the network lost, is sent again after the
  // wait the server asks for (at most MAX_WAIT s; without one, a short backoff with jitter),
  // at most MAX_RETRIES times; then the list says so, with a "Try again" button.
  var MAX_RETRIES = 4;
  var MAX_WAIT = 30;
  var TRANSIENT = [502, 503, 504];
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var BAR = 0.11; // half the height of a period's bar, in lanes
  var ZONE_TITLES = { own: "Time as reported (each event's local clock)", utc: "UTC", london: "London time" };

  function text(s) {
    return String(s == null ? "" : s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function $(root, sel) { return root.querySelector(sel); }
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + alpha + ")";
  }
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function offsetLabel(m) {
    var a = Math.abs(m);
    return "UTC" + (m < 0 ? "-" : "+") + pad(Math.floor(a / 60)) + ":" + pad(a % 60);
  }
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
  function whenParsed(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function Timeline(root) {
    this.root = root;
    var data = JSON.parse($(root, "#tl-data").textContent);
    var ev = this.ev = data.events;
    this.n = ev.id.length;
    this.styles = data.verdicts;
    this.focus = data.focus; // the initial range's rule, from timeline/figure.py FOCUS
    this.chart = $(root, "#tl-chart");
    this.labels = {}; // zone -> [hover label per event], each made on first use
    this.items = null; // id -> {li, i, claims}, once the list is parsed
    this.pos = {};
    for (var i = 0; i < this.n; i++) this.pos[ev.id[i]] = i;
    this.all = [];
    for (i = 0; i < this.n; i++) this.all.push(i);
    // A long story in the dashboard: the page holds the first events of the list; the
    // server (timeline/listing.py) sends the others and answers text searches.
    this.paged = data.list || null;
    // A paged list's answers may come back out of order: the last action always wins.
    this.seq = 0; // the newest filter (its search answer may still be on its way)
    this.listSeq = 0; // the newest change of the list (a filter or "show more")
    this.filterPending = null; // the newest filter's promise, until its list is shown
    this.selectSeq = 0; // the newest selection (its event may still be loading)
    this.loading = {}; // id -> the request in flight that brings its list item
    this.waits = {}; // "list" or "select" -> the retry that action waits for: {timer, go}
    this.said = {}; // "list" or "select" -> what its retry says in the status line
    this.view = null; // the chart's zoomed x range, when it has one
    this.searches = {};
  }

  /* How event i's start reads in a zone (as timeline/figure.py date_labels writes it). */
  Timeline.prototype.dateLabel = function (i, zone) {
    var ev = this.ev, p = ev.p[i], ms = ev.s[i] * 1000, shift = 0;
    if (p >= 3 && zone !== "utc") shift = (zone === "own" ? ev.own[i] : ev.london[i]) || 0;
    var d = new Date(ms + shift * 60000), y = d.getUTCFullYear();
    if (p === 0) return String(y);
    if (p === 1) return MONTHS[d.getUTCMonth()] + " " + y;
    var day = DAYS[d.getUTCDay()] + " " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + y;
    if (p === 2) return day;
    var clock = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (p === 4 ? ":" + pad(d.getUTCSeconds()) : "");
    var tag = zone === "utc" ? "UTC" : zone === "own" ? offsetLabel(ev.own[i] || 0) : "London, " + (ev.london[i] ? "BST" : "GMT");
    return day + ", " + clock + " (" + tag + ")";
  };

  /* Event i's hover label in a zone (made on first use: a long story has many). */
  Timeline.prototype.hover = function (i, zone) {
    var cache = this.labels[zone] || (this.labels[zone] = []);
    var out = cache[i];
    if (out === undefined) {
      var dd = this.ev.dd[i], when = text(this.dateLabel(i, zone));
      out = dd ? (this.ev.p[i] >= 3 ? text(dd) + "<br>" + when : text(dd)) : when;
      out = cache[i] = out + "<br><b>" + text(this.ev.title[i]) + "</b>";
    }
    return out;
  };

  /* Once the whole list is parsed: find its items, wire the controls, show them. */
  Timeline.prototype.attach = function () {
    var root = this.root, self = this;
    this.list = $(root, "#tl-list");
    this.items = {};
    this.totalClaims = 0;
    var lis = this.list ? this.list.children : [];
    for (var k = 0; k < lis.length; k++) {
      var item = this.register(lis[k]);
      if (item) this.totalClaims += item.claims.length;
    }
    if (this.paged) {
      this.totalClaims = 0;
      for (k = 0; k < this.n; k++) this.totalClaims += this.ev.cv[k].length;
      this.limit = this.paged.page;
      this.moreClicks = 0;
      this.counted = { events: this.n, claims: this.totalClaims };
      this.shownIds = [];
      for (k = 0; k < Math.min(this.limit, this.n); k++) this.shownIds.push(this.ev.id[k]);
      this.pagedControls();
    }
    var c = this.controls = {
      category: $(root, "#tl-filter-category"), actor: $(root, "#tl-filter-actor"),
      verdict: $(root, "#tl-filter-verdict"), search: $(root, "#tl-search"),
      from: $(root, "#tl-from"), to: $(root, "#tl-to"), zone: $(root, "#tl-zone"), lanes: $(root, "#tl-lanes")
    };
    ["category", "actor", "verdict", "from", "to", "zone", "lanes"].forEach(function (k) {
      if (c[k]) c[k].addEventListener("change", function () { self.update(); });
    });
    if (c.search) {
      var t = null;
      c.search.addEventListener("input", function () {
        clearTimeout(t); t = setTimeout(function () { self.update(); }, 120);
      });
    }
    var form = $(root, "#tl-filters");
    if (form) form.addEventListener("submit", function (e) { e.preventDefault(); });
    [$(root, "#tl-clear"), $(root, "#tl-empty-clear")].forEach(function (b) {
      if (b) b.addEventListener("click", function () { self.clear(); });
    });
    if (this.list) {
      this.list.addEventListener("click", function (e) {
        var a = e.target.closest ? e.target.closest("li.tl-event > h3 > a") : null;
        if (a) self.select(a.parentNode.parentNode.id.slice(6), false);
      });
    }
    var section = $(root, ".tl-controls");
    if (section) section.hidden = false;
    window.addEventListener("hashchange", function () { self.followHash(); });
    // The page may have changed a control before this ran (restored form state).
    if (this.filtering() || (c.zone && c.zone.value !== "own") || (c.lanes && c.lanes.value !== "category")) {
      return this.update();
    }
    this.count(this.n, this.totalClaims);
    return null;
  };

  /* Take up a list item (li.tl-event) of the page or from the server: its claims, for filters. */
  Timeline.prototype.register = function (li) {
    if (li.tagName !== "LI" || li.id.slice(0, 6) !== "event-") return null;
    var id = li.id.slice(6), claims = [], cl = li.getElementsByClassName("tl-claim");
    for (var j = 0; j < cl.length; j++) claims.push({ li: cl[j], verdict: cl[j].getAttribute("data-verdict"), text: null });
    var item = this.items[id] = { li: li, i: this.pos[id], claims: claims, text: null };
    if (this.zone && this.zone !== "own") this.zoneLabel(item, this.zone);
    return item;
  };

  /* A paged list: the plain link to the next page becomes a "show more" button. */
  Timeline.prototype.pagedControls = function () {
    var self = this, link = $(this.root, "#tl-more-link");
    if (link) link.hidden = true;
    var more = this.more = document.createElement("button");
    more.type = "button"; more.id = "tl-more"; more.className = "tl-more-button";
    more.addEventListener("click", function () {
      // A filter still waiting for its answer is not cancelled: it shows one more page.
      var first = self.limit, filter = self.seq, click = ++self.moreClicks;
      self.limit += self.paged.page;
      (self.filterPending || self.showList()).then(function () { // keyboard and screen-reader users go on reading there
        if (filter !== self.seq || click !== self.moreClicks) return;
        var id = self.shownIds[first], item = id && self.items[id];
        var link = item && item.li.querySelector("h3 > a");
        if (link) link.focus();
      });
    });
    var problem = this.problem = document.createElement("p");
    problem.id = "tl-list-problem"; problem.className = "tl-list-problem";
    problem.setAttribute("role", "alert"); problem.hidden = true;
    // A busy server's wait is said politely (role=status); a failure is an alert, with its button.
    var status = this.status = document.createElement("p");
    status.id = "tl-list-status"; status.className = "tl-list-status";
    status.setAttribute("role", "status");
    var again = this.againButton = document.createElement("button");
    again.type = "button"; again.id = "tl-try-again"; again.className = "tl-more-button";
    again.textContent = "Try again"; again.hidden = true;
    again.addEventListener("click", function () {
      var retry = self.retryLast;
      self.trouble(null);
      if (retry) retry();
    });
    var parent = this.list.parentNode;
    parent.insertBefore(status, this.list.nextSibling);
    parent.insertBefore(problem, status.nextSibling);
    parent.insertBefore(again, problem.nextSibling);
    parent.insertBefore(more, again.nextSibling);
    this.moreLabel();
  };

  Timeline.prototype.moreLabel = function () {
    var keep = this.keep || this.all, left = keep.length - Math.min(this.limit, keep.length);
    this.more.hidden = left <= 0;
    this.more.textContent = "Show " + Math.min(left, this.paged.page).toLocaleString("en-GB") +
      " more events (" + left.toLocaleString("en-GB") + " not shown yet)";
  };

  /* The text of an answer; a failed request rejects with an Error whose ``transient`` says
     whether trying again may help (and ``wait``, the seconds the server asked for, or null). */
  Timeline.prototype.fetchText = function (url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "text/html, application/json" } })
      .then(function (r) {
        if (!r.ok) {
          var err = new Error("the server answered " + r.status);
          err.transient = TRANSIENT.indexOf(r.status) >= 0;
          err.busy = r.status === 503;
          err.wait = retryAfter(r.headers.get("Retry-After"));
          throw err;
        }
        return r.text();
      }, function () {
        var err = new Error("the server could not be reached");
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
        self.say(kind, (err.busy ? "The server is busy" : "The server cannot be reached") +
          "; trying again in " + Math.max(1, Math.ceil(wait)) + " s.");
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
          if (left.length >= ids.length) throw new Error("the server sent none of the events asked for");
          return get(left);
        });
    }
    var ask = get(chunk).then(done, function (err) { done(); throw err; });
    chunk.forEach(function (id) { loading[id] = ask; });
    return ask;
  };

  /* A text search over every event of a paged list, answered by the server (and kept). */
  Timeline.prototype.search = function (q) {
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
    this.problem.textContent = err ? "Some events could not be loaded (" + err.message + ")." +
      (retry ? "" : " Reload the page to try again.") : "";
    this.retryLast = err && retry || null;
    this.againButton.hidden = !this.retryLast;
  };

  /* The filters' values: category, actor (its index), verdict key, and the dates as UTC ms. */
  Timeline.prototype.criteria = function () {
    var c = this.controls, actor = c.actor ? c.actor.value : "";
    return {
      cat: c.category ? c.category.value : "", actor: actor,
      actorIdx: actor ? this.ev.actors.indexOf(actor) : -1,
      verdict: c.verdict ? c.verdict.value : "",
      from: c.from && c.from.value ? Date.parse(c.from.value + "T00:00:00Z") : null,
      to: c.to && c.to.value ? Date.parse(c.to.value + "T00:00:00Z") + 86400000 : null
    };
  };

  /* Whether event i passes the category, actor and date filters (``f``: criteria()). */
  Timeline.prototype.passes = function (i, f) {
    var ev = this.ev, s = ev.s[i] * 1000, e = s + ev.d[i] * 1000;
    if (f.cat && ev.cats[ev.cat[i]] !== f.cat) return false;
    if (f.actor && ev.act[i].indexOf(f.actorIdx) < 0) return false;
    return !((f.from !== null && e <= f.from) || (f.to !== null && s >= f.to));
  };

  /* Which events (indices) and claims pass the filters, from the chart's data and the
     server's search answer (``found``); a paged list's counterpart of filter(). */
  Timeline.prototype.filterPaged = function (found) {
    var ev = this.ev, f = this.criteria(), verdict = f.verdict, vIdx = -1;
    this.styles.forEach(function (st, k) { if (st.key === verdict) vIdx = k; });
    var allowed = null;
    if (found) {
      allowed = new Uint8Array(this.n);
      found.events.forEach(function (i) { allowed[i] = 1; });
    }
    var keep = [], claimsShown = 0;
    for (var i = 0; i < this.n; i++) {
      if ((allowed && !allowed[i]) || !this.passes(i, f)) continue;
      var only = found ? found.claims[i] : null, cv = ev.cv[i], shown = 0;
      for (var k = 0; k < cv.length; k++) {
        if ((vIdx < 0 || cv[k] === vIdx) && (!only || only.indexOf(k) >= 0)) shown++;
      }
      if ((vIdx >= 0 || only) && !shown) continue;
      keep.push(i);
      claimsShown += shown;
    }
    this.shownClaims = { verdict: verdict, found: found };
    return { keep: keep, claims: claimsShown };
  };

  /* The list is busy (``aria-busy``) from an action until the list it asks for is shown. */
  Timeline.prototype.busy = function (on) {
    if (!this.list) return;
    if (on) this.list.setAttribute("aria-busy", "true");
    else this.list.removeAttribute("aria-busy");
  };

  /* Show the first ``limit`` events that pass the filters: load those the page lacks (again
     while the server is busy), then put them in the list in order, each with the claims that
     pass, and the count with them (the count and the list change together). A newer action
     drops it, and any retry it still waits for. */
  Timeline.prototype.showList = function () {
    var self = this, ev = this.ev, keep = this.keep || this.all, seq = ++this.listSeq;
    var ids = keep.slice(0, this.limit).map(function (i) { return ev.id[i]; });
    function current() { return seq === self.listSeq; }
    this.supersede("list");
    this.busy(true);
    return this.retried("list", current, function () { return self.load(ids); }).then(function () {
      if (!current()) return;
      var gone = ids.filter(function (id) { return !self.items[id]; }).length;
      self.trouble(gone ? { message: gone + (gone === 1 ? " event is" : " events are") +
        " no longer in the data: it changed after this page was loaded" } : null);
      var list = self.list, frag = document.createDocumentFragment();
      var verdict = self.shownClaims ? self.shownClaims.verdict : "";
      var found = self.shownClaims ? self.shownClaims.found : null;
      ids.forEach(function (id) {
        var item = self.items[id];
        if (!item) return;
        var only = found ? found.claims[item.i] : null;
        item.li.hidden = false;
        item.claims.forEach(function (cl, k) {
          cl.li.hidden = !((!verdict || cl.verdict === verdict) && (!only || only.indexOf(k) >= 0));
        });
        frag.appendChild(item.li);
      });
      list.textContent = "";
      list.appendChild(frag);
      self.shownIds = ids;
      if (self.counted) self.count(self.counted.events, self.counted.claims);
      self.moreLabel();
      self.busy(false);
    }, function (err) {
      if (!current()) return;
      self.trouble(err, function () { return self.showList(); });
      self.busy(false);
    });
  };

  Timeline.prototype.filtering = function () {
    var c = this.controls;
    return !!((c.category && c.category.value) || (c.actor && c.actor.value) || (c.verdict && c.verdict.value) ||
      (c.search && c.search.value.trim()) || (c.from && c.from.value) || (c.to && c.to.value));
  };

  Timeline.prototype.clear = function () {
    var c = this.controls;
    ["category", "actor", "verdict", "search", "from", "to"].forEach(function (k) { if (c[k]) c[k].value = ""; });
    return this.update();
  };

  /* Search text, made on the first search: an event's card without its claims, and each claim. */
  Timeline.prototype.texts = function (item) {
    if (item.text !== null) return;
    var parts = [], kids = item.li.children;
    for (var k = 0; k < kids.length; k++) {
      if (!kids[k].classList.contains("tl-claims")) parts.push(kids[k].textContent);
    }
    item.text = parts.join(" ").toLowerCase();
    item.claims.forEach(function (c) { c.text = c.li.textContent.toLowerCase(); });
  };

  /* Which events (indices) and claims pass the filters; hides the rest of the list. */
  Timeline.prototype.filter = function () {
    var ev = this.ev, self = this, f = this.criteria(), verdict = f.verdict;
    var q = this.controls.search ? this.controls.search.value.trim().toLowerCase() : "";
    var terms = q ? q.split(/\s+/) : [];
    var keep = [], claimsShown = 0;
    // Take the list out of layout while its items are shown and hidden: hiding thousands of
    // content-visibility:auto items one by one in a laid-out list costs seconds (quadratic).
    var list = this.list, y = window.scrollY;
    if (list) {
      list.style.display = "none";
      void list.offsetHeight; // apply it now, before the items change
    }
    function has(hay) { return terms.every(function (t) { return hay.indexOf(t) >= 0; }); }
    for (var i = 0; i < this.n; i++) {
      var item = this.items[ev.id[i]];
      var ok = this.passes(i, f);
      var shown = null; // indices of the claims shown; null: all
      if (ok && item) {
        var claims = item.claims;
        if (verdict) {
          shown = [];
          for (var j = 0; j < claims.length; j++) if (claims[j].verdict === verdict) shown.push(j);
          if (!shown.length) ok = false;
        }
        if (ok && terms.length) {
          self.texts(item);
          if (!has(item.text)) {
            shown = (shown || claims.map(function (_, j) { return j; })).filter(function (j) { return has(claims[j].text); });
            if (!shown.length) ok = false;
          }
        }
      }
      if (item) {
        if (item.li.hidden !== !ok) item.li.hidden = !ok;
        var set = null;
        if (shown) { set = {}; shown.forEach(function (j) { set[j] = true; }); }
        for (var k = 0; k < item.claims.length; k++) {
          var hide = !(ok && (!set || set[k]));
          if (item.claims[k].li.hidden !== hide) item.claims[k].li.hidden = hide;
        }
      }
      if (ok) { keep.push(i); claimsShown += item ? (shown ? shown.length : item.claims.length) : 0; }
    }
    if (list) {
      list.style.display = "";
      if (window.scrollY !== y) window.scrollTo(window.scrollX, y);
    }
    return { keep: keep, claims: claimsShown };
  };

  Timeline.prototype.shift = function (i, zone) {
    if (zone === "utc") return 0;
    var m = zone === "own" ? this.ev.own[i] : this.ev.london[i];
    return m == null ? 0 : m * 60000;
  };

  /* Lanes sit at y = 0, 1, 2, ... (named by the y axis' tick labels). Events are markers,
     one trace per verdict; the periods (dates, and times with an end) are bars drawn as one
     filled path per verdict, not one SVG element each: 10,000 events draw in about a second.
     More than GROUP_ABOVE events in view are drawn as groups (groupTraces). */
  Timeline.prototype.traces = function (keep, zone, lanes) {
    var ev = this.ev, laneOf = {}, order = this.laneOrder = [], laneIds = [];
    var xs = new Float64Array(keep.length);
    for (var n = 0; n < keep.length; n++) {
      var i = keep[n], names, own = [];
      if (lanes === "actor") {
        names = ev.act[i].length ? ev.act[i].map(function (a) { return ev.actors[a]; }) : ["(no actor named)"];
      } else {
        names = [ev.cats[ev.cat[i]]];
      }
      for (var k = 0; k < names.length; k++) {
        var lane = laneOf[names[k]];
        if (lane === undefined) { lane = laneOf[names[k]] = order.length; order.push(names[k]); }
        own.push(lane);
      }
      laneIds.push(own);
      var s = ev.s[i] * 1000 + this.shift(i, zone);
      xs[n] = ev.span[i] ? s + ev.d[i] * 500 : s;
    }
    var pick = [];
    if (this.view) { // a zoomed chart draws what is in view (and half a view either side)
      var w = this.view[1] - this.view[0], lo = this.view[0] - w / 2, hi = this.view[1] + w / 2;
      for (n = 0; n < keep.length; n++) if (xs[n] >= lo && xs[n] <= hi) pick.push(n);
    } else {
      for (n = 0; n < keep.length; n++) pick.push(n);
    }
    this.grouped = pick.length > GROUP_ABOVE;
    return this.grouped ? this.groupTraces(keep, xs, laneIds, pick) : this.eventTraces(keep, xs, laneIds, pick, zone);
  };

  Timeline.prototype.eventTraces = function (keep, xs, laneIds, pick, zone) {
    var ev = this.ev, self = this, groups = {};
    pick.forEach(function (n) {
      var i = keep[n], g = groups[ev.v[i]];
      if (!g) g = groups[ev.v[i]] = { x: [], y: [], id: [], text: [], sx: [], sy: [] };
      var label = self.hover(i, zone), s = ev.s[i] * 1000 + self.shift(i, zone), e = s + ev.d[i] * 1000;
      laneIds[n].forEach(function (lane) {
        g.x.push(xs[n]); g.y.push(lane); g.id.push(ev.id[i]); g.text.push(label);
        if (ev.span[i]) {
          g.sx.push(s, e, e, s, null);
          g.sy.push(lane - BAR, lane - BAR, lane + BAR, lane + BAR, null);
        }
      });
    });
    // SVG (scatter): at most GROUP_ABOVE events are drawn one by one. WebGL would cost seconds of
    // shader set-up where it runs in software, and the plotly.js basic bundle has none.
    var out = [], spans = [], type = "scatter";
    this.styles.forEach(function (st, v) {
      var g = groups[v];
      if (!g) return;
      if (g.sx.length) {
        spans.push({ type: type, mode: "none", fill: "toself", x: g.sx, y: g.sy, hoverinfo: "skip",
          showlegend: false, fillcolor: rgba(st.colour, 0.3) });
      }
      out.push({ type: type, mode: "markers", name: st.label, x: g.x, y: g.y,
        customdata: g.id, text: g.text, hovertemplate: "%{text}<extra>" + text(st.label) + "</extra>",
        // Open symbols are drawn by their outline; filled ones need none (a cheaper SVG point).
        marker: /-open$/.test(st.symbol) ?
          { color: st.colour, symbol: st.symbol, size: 13, line: { color: st.colour, width: 2 } } :
          { color: st.colour, symbol: st.symbol, size: 15, line: { width: 0 } } });
    });
    return spans.concat(out);
  };

  function dayLabel(ms) {
    var d = new Date(ms);
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()].slice(0, 3) + " " + d.getUTCFullYear();
  }

  /* One marker per lane, worst verdict and period, its area growing with its count of events. */
  Timeline.prototype.groupTraces = function (keep, xs, laneIds, pick) {
    var ev = this.ev, lo = Infinity, hi = -Infinity;
    if (this.view) { lo = this.view[0]; hi = this.view[1]; } else {
      pick.forEach(function (n) { if (xs[n] < lo) lo = xs[n]; if (xs[n] > hi) hi = xs[n]; });
    }
    var width = BINS[BINS.length - 1];
    for (var b = 0; b < BINS.length; b++) if ((hi - lo) / BINS[b] <= MAX_BINS) { width = BINS[b]; break; }
    var cells = {}, most = 1;
    pick.forEach(function (n) {
      var bin = Math.floor(xs[n] / width), v = ev.v[keep[n]];
      laneIds[n].forEach(function (lane) {
        var key = v + "|" + lane + "|" + bin, cell = cells[key];
        if (!cell) cell = cells[key] = { v: v, lane: lane, bin: bin, count: 0 };
        if (++cell.count > most) most = cell.count;
      });
    });
    var byVerdict = {};
    Object.keys(cells).forEach(function (key) {
      var cell = cells[key], g = byVerdict[cell.v] || (byVerdict[cell.v] = { x: [], y: [], size: [], id: [], text: [] });
      var start = cell.bin * width, end = start + width;
      var when = width < DAY ? dayLabel(start) + ", " + pad(new Date(start).getUTCHours()) + ":00 to " +
        pad(new Date(end).getUTCHours()) + ":00" : width === DAY ? dayLabel(start) :
        dayLabel(start) + " to " + dayLabel(end - 1);
      g.x.push(start + width / 2); g.y.push(cell.lane);
      g.size.push(8 + 22 * Math.sqrt(cell.count / most));
      g.id.push("group:" + start + ":" + width);
      g.text.push(cell.count.toLocaleString("en-GB") + (cell.count === 1 ? " event" : " events") + "<br>" + when);
    });
    var out = [];
    this.styles.forEach(function (st, v) {
      var g = byVerdict[v];
      if (!g) return;
      out.push({ type: "scatter", mode: "markers", name: st.label, x: g.x, y: g.y, customdata: g.id,
        text: g.text, hovertemplate: "%{text}<br>Click to list them<extra>" + text(st.label) + "</extra>",
        marker: { color: rgba(st.colour, 0.75), symbol: st.symbol.replace(/-open$/, ""), size: g.size,
          line: { color: st.colour, width: 1 } } });
    });
    return out;
  };

  /* The initial x range, by the rule of timeline/figure.py focus_range (its numbers come with
     the data): if a few late events (a report months later) would squeeze the story into a
     corner, open on the dense period; "Show the whole period" widens it. */
  Timeline.prototype.focusRange = function (traces) {
    var f = this.focus, xs = [];
    traces.forEach(function (t) { if (t.mode === "markers") xs = xs.concat(t.x); });
    if (!f || xs.length < f.min_events) return null;
    xs.sort(function (a, b) { return a - b; });
    var lo = xs[0], hi = xs[xs.length - 1], p = xs[Math.floor(f.quantile * (xs.length - 1))];
    if (hi - lo < f.spread * (p - lo) || p === lo) return null;
    var pad = Math.max(f.min_pad_ms, (p - lo) * f.pad);
    return [lo - pad, p + pad];
  };

  Timeline.prototype.layout = function (traces, zone) {
    var n = Math.max(this.laneOrder.length, 1);
    var range = this.view || this.focusRange(traces);
    return {
      xaxis: { type: "date", range: range || undefined, autorange: !range, title: { text: ZONE_TITLES[zone] } },
      yaxis: { type: "linear", range: [n - 0.5, -0.5], automargin: true, zeroline: false,
        tickmode: "array", tickvals: this.laneOrder.map(function (_, k) { return k; }), ticktext: this.laneOrder.slice() },
      legend: { title: { text: "Worst verdict" }, orientation: "h", y: -0.25 },
      margin: { l: 10, r: 10, t: 10, b: 10 }, height: Math.max(320, 46 * n + 160),
      hovermode: "closest", dragmode: "zoom", font: { family: "system-ui, sans-serif" }
    };
  };

  Timeline.prototype.count = function (events, claims) {
    var count = $(this.root, "#tl-count");
    if (count) {
      count.textContent = events + " of " + this.n + " events, " + claims + " of " + this.totalClaims + " claims";
    }
    var empty = $(this.root, "#tl-empty");
    if (empty) empty.hidden = events > 0;
  };

  /* Filter the list (once it is parsed), then redraw the chart. Returns Plotly's promise. */
  Timeline.prototype.update = function () {
    var c = this.controls || {};
    var zone = c.zone ? c.zone.value : "own";
    if (this.paged && this.items) return this.updatePaged(zone);
    var keep = this.all;
    if (this.items) {
      var r = this.filter();
      keep = r.keep;
      this.count(keep.length, r.claims);
      this.updateZone(zone);
    }
    this.keep = keep;
    this.view = null;
    return this.draw();
  };

  /* A paged list's filters: the list is busy from now on, and a newer filter or "show more"
     drops what an older one would show; the count changes with the list (showList). */
  Timeline.prototype.updatePaged = function (zone) {
    var self = this, c = this.controls, seq = ++this.seq;
    var q = c.search ? c.search.value.trim() : "";
    function current() { return seq === self.seq; }
    this.limit = this.paged.page;
    ++this.listSeq;
    this.supersede("list");
    this.busy(true);
    var found = q ? this.retried("list", current, function () { return self.search(q); }) : Promise.resolve(null);
    var pending = this.filterPending = found.then(function (found) {
      if (seq !== self.seq) return null;
      if (self.filterPending === pending) self.filterPending = null;
      var r = self.filterPaged(found);
      self.keep = r.keep;
      self.view = null;
      self.counted = { events: r.keep.length, claims: r.claims };
      self.updateZone(zone);
      return Promise.all([self.showList(), self.draw()]);
    }, function (err) {
      if (!current()) return;
      if (self.filterPending === pending) self.filterPending = null;
      self.trouble(err, function () { return self.update(); });
      self.busy(false);
    });
    return pending;
  };

  /* Draw the chart for the events kept by the filters (this.keep). Returns Plotly's promise. */
  Timeline.prototype.draw = function () {
    var c = this.controls || {};
    var zone = c.zone ? c.zone.value : "own";
    var lanes = c.lanes ? c.lanes.value : "category";
    var traces = this.traces(this.keep || this.all, zone, lanes);
    var self = this;
    var layout = this.layout(traces, zone);
    var all = $(this.root, "#tl-show-all");
    if (all) {
      all.hidden = !layout.xaxis.range;
      if (!all.bound) {
        all.bound = true;
        all.addEventListener("click", function () {
          window.Plotly.relayout(self.chart, { "xaxis.autorange": true });
          all.hidden = true;
        });
      }
    }
    var note = $(this.root, "#tl-group-note");
    if (note) note.hidden = !this.grouped;
    this.drawing = true;
    var done = Promise.resolve(window.Plotly.react(this.chart, traces, layout,
      { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] }));
    done.then(function () { self.drawing = false; }, function () { self.drawing = false; });
    if (!this.bound) {
      this.bound = true;
      this.chart.on("plotly_click", function (ev) {
        if (!ev || !ev.points || !ev.points.length) return;
        var id = ev.points[0].customdata;
        if (typeof id === "string" && id.indexOf("group:") === 0) self.openGroup(id);
        else self.select(id, true);
      });
      // A long story regroups its markers for the range in view after a zoom or a pan.
      this.chart.on("plotly_relayout", function (e) { self.relayout(e || {}); });
    }
    return done;
  };

  function rangeMs(v) {
    return typeof v === "number" ? v : Date.parse(String(v).replace(" ", "T") + (/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? "" : "Z"));
  }

  Timeline.prototype.relayout = function (e) {
    if (this.drawing || (this.keep || this.all).length <= GROUP_ABOVE) return;
    var r0 = e["xaxis.range[0]"], r1 = e["xaxis.range[1]"];
    if (e["xaxis.range"]) { r0 = e["xaxis.range"][0]; r1 = e["xaxis.range"][1]; }
    if (r0 !== undefined && r1 !== undefined) this.view = [rangeMs(r0), rangeMs(r1)];
    else if (e["xaxis.autorange"]) this.view = null;
    else return;
    var self = this;
    clearTimeout(this.regroup);
    this.regroup = setTimeout(function () { self.draw(); }, 80);
  };

  /* A group's marker was clicked: filter the dates to its period (the list shows its events). */
  Timeline.prototype.openGroup = function (key) {
    var parts = key.split(":"), start = Number(parts[1]), end = start + Number(parts[2]) - 1;
    var c = this.controls || {};
    if (!c.from || !c.to) return;
    c.from.value = new Date(start).toISOString().slice(0, 10);
    c.to.value = new Date(end).toISOString().slice(0, 10);
    this.update();
  };

  /* Times in the list follow the zone control (dates alone never change). */
  Timeline.prototype.updateZone = function (zone) {
    if (zone === (this.zone || "own")) return;
    this.zone = zone;
    for (var id in this.items) this.zoneLabel(this.items[id], zone);
  };

  Timeline.prototype.zoneLabel = function (item, zone) {
    var i = item.i;
    if (i === undefined || this.ev.p[i] < 3) return;
    var t = item.li.querySelector(".tl-date time");
    if (!t) return;
    // The page shows one date: the desk's display date (kept to come back to) or the exact one.
    if (!t.hasAttribute("data-own")) t.setAttribute("data-own", t.textContent);
    t.textContent = zone === "own" ? t.getAttribute("data-own") : this.dateLabel(i, zone);
  };

  Timeline.prototype.select = function (id, scroll) {
    var self = this, item = this.items && this.items[id], seq = ++this.selectSeq;
    function current() { return seq === self.selectSeq; }
    this.supersede("select");
    if (!item && this.paged && this.items && this.pos[id] !== undefined) { // not loaded yet
      // The last selection wins: an older one whose event arrives later is dropped.
      return this.retried("select", current, function () { return self.load([id]); }).then(function () {
        if (current() && self.items[id]) self.select(id, scroll);
      }, function (err) {
        if (current()) self.trouble(err, function () { return self.select(id, scroll); });
      });
    }
    if (!item) return null;
    var panel = $(this.root, "#tl-selected");
    var prev = this.root.querySelectorAll(".tl-highlight");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("tl-highlight");
    item.li.classList.add("tl-highlight");
    if (panel) {
      var card = document.createElement("article");
      card.setAttribute("aria-label", "Selected event");
      var kids = item.li.children;
      for (i = 0; i < kids.length; i++) card.appendChild(kids[i].cloneNode(true));
      var ids = card.querySelectorAll("[id]");
      for (i = 0; i < ids.length; i++) ids[i].removeAttribute("id");
      var hidden = card.querySelectorAll("[hidden]");
      for (i = 0; i < hidden.length; i++) hidden[i].hidden = false;
      panel.innerHTML = "";
      var close = document.createElement("button");
      close.type = "button"; close.className = "tl-close"; close.textContent = "Close";
      close.addEventListener("click", function () { panel.hidden = true; panel.innerHTML = ""; });
      panel.appendChild(close);
      panel.appendChild(card);
      panel.hidden = false;
      panel.setAttribute("data-event", id);
      if (scroll && panel.scrollIntoView) panel.scrollIntoView({ block: "nearest" });
    }
    return null;
  };

  Timeline.prototype.followHash = function () {
    var h = decodeURIComponent((location.hash || "").slice(1));
    if (!h) return;
    var el = document.getElementById(h);
    if (!el && this.paged && h.indexOf("event-") === 0 && this.pos[h.slice(6)] !== undefined) {
      return this.select(h.slice(6), true); // an event past the list's first page
    }
    if (!el || !this.root.contains(el)) return null;
    if (el.hidden || (el.closest && el.closest("li.tl-event[hidden]"))) this.clear();
    var prev = this.root.querySelectorAll(".tl-highlight");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("tl-highlight");
    el.classList.add("tl-highlight");
    if (h.indexOf("event-") === 0) this.select(h.slice(6), false);
    el.scrollIntoView({ block: "start" });
    return null;
  };

  function mount(root) {
    if (root.getAttribute("data-mounted")) return;
    root.setAttribute("data-mounted", "1");
    if (!window.Plotly) { root.setAttribute("data-error", "plotly.js is missing"); return; }
    var tl = new Timeline(root);
    root.timeline = tl;
    var fallback = root.querySelector(".tl-chart-fallback");
    if (fallback) fallback.parentNode.removeChild(fallback);
    var drawn = Promise.resolve(tl.update()); // the chart first, from #tl-data alone
    whenParsed(function () {
      var again = tl.attach();
      Promise.all([drawn, again]).then(function () { return tl.followHash(); }).then(function () {
        document.documentElement.setAttribute("data-timeline-ready", "1");
      });
    });
  }

  function mountAll() {
    var root = document.getElementById("timeline-app");
    // #tl-list follows #tl-data: once it is there, the data block is whole.
    if (root && root.querySelector("#tl-data") && root.querySelector("#tl-list")) { mount(root); return true; }
    return false;
  }

  if (!mountAll()) {
    whenParsed(mountAll);
    if (window.MutationObserver) { // Voila and notebooks may add the story after this script
      var obs = new MutationObserver(function () { if (mountAll()) obs.disconnect(); });
      obs.observe(document.documentElement, { childList: true, subtree: true });
    }
  }
  window.timelineMount = mountAll;
})();
