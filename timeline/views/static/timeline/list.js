/* The list and its filters: wiring the controls, filtering the server-rendered list (or,
   for a paged dashboard, asking the server for the events that pass), the count. */
/* global Timeline, $, worstOf, parseHash, _, ngettext, num, numText */
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
    if (c[k]) c[k].addEventListener("change", function () { self.changed(); });
  });
  if (c.search) {
    var t = null;
    c.search.addEventListener("input", function () {
      clearTimeout(t); t = setTimeout(function () { self.changed(); }, 120);
      self.prefetchFiles(c.search.value); // a static site's search: files.js
    });
  }
  var form = $(root, "#tl-filters"), toggle = this.toggle = $(root, "#tl-filter-toggle");
  if (form) form.addEventListener("submit", function (e) { e.preventDefault(); });
  if (form && toggle) { // a narrow screen shows the filters behind this one button (timeline.css)
    toggle.addEventListener("click", function () {
      var open = !form.classList.contains("tl-filters-open");
      form.classList.toggle("tl-filters-open", open);
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
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
  // The address holds the filters (select.js): a shared link, Back or a reload shows that view.
  this.setFilters(parseHash(location.hash).filters);
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
  var item = this.items[id] = { li: li, i: this.pos.get(id), claims: claims, text: null };
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
  again.textContent = _("Try again"); again.hidden = true;
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
  var next = Math.min(left, this.paged.page);
  this.more.textContent = ngettext("Show %(next)s more event (%(left)s not shown yet)",
    "Show %(next)s more events (%(left)s not shown yet)", next, { next: num(next), left: num(left) });
};

/* The filters' values: category, actor (its index), verdict key, and the dates as UTC ms. */
Timeline.prototype.criteria = function () {
  var c = this.controls, actor = c.actor ? c.actor.value : "", group = null;
  if (actor.indexOf("group:") === 0) { // the desk's actor group (core/actor_groups.py): its events
    group = new Uint8Array(this.n);
    (this.groups[actor.slice(6)] || []).forEach(function (i) { group[i] = 1; });
  }
  return {
    cat: c.category ? c.category.value : "", actor: actor, group: group,
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
  if (f.group ? !f.group[i] : f.actor && ev.act[i].indexOf(f.actorIdx) < 0) return false;
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
  var keep = [], claimsShown = 0, marks = this.marks = {}, none = this.vIndex["no-claims"];
  for (var i = 0; i < this.n; i++) {
    if ((allowed && !allowed[i]) || !this.passes(i, f)) continue;
    var only = found ? found.claims[i] : null, cv = ev.cv[i], vis = [];
    for (var k = 0; k < cv.length; k++) {
      if ((vIdx < 0 || cv[k] === vIdx) && (!only || only.indexOf(k) >= 0)) vis.push(cv[k]);
    }
    if ((vIdx >= 0 || only) && !vis.length) continue;
    keep.push(i);
    claimsShown += vis.length;
    if (vis.length < cv.length) marks[i] = { v: worstOf(vis, this.styles, none), n: vis.length };
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
    var q = self.controls.search ? self.controls.search.value.trim().toLowerCase() : "";
    self.highlight(q ? q.split(/\s+/) : [], ids.map(function (id) { return self.pos.get(id); }));
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
  return this.changed();
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
  var keep = [], claimsShown = 0, marks = this.marks = {}, none = this.vIndex["no-claims"];
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
    if (ok && shown && shown.length < item.claims.length) { // the marker: the worst of those shown
      marks[i] = { v: worstOf(shown.map(function (j) { return self.vIndex[item.claims[j].verdict]; }), this.styles, none),
        n: shown.length };
    }
  }
  if (list) {
    this.highlight(terms, keep);
    list.style.display = "";
    if (window.scrollY !== y) window.scrollTo(window.scrollX, y);
  }
  return { keep: keep, claims: claimsShown };
};

Timeline.prototype.count = function (events, claims) {
  var count = $(this.root, "#tl-count"), on = 0, state = this.filterState();
  for (var k in state) if (k !== "zone" && k !== "lanes") on++;
  if (this.toggle) this.toggle.textContent = on ? _("Filter (%(on)s on)", { on: num(on) }) : _("Filter");
  if (count) {
    var evs = ngettext("%(shown)s of %(total)s event", "%(shown)s of %(total)s events", this.n,
      { shown: numText(events), total: numText(this.n) });
    var cls = ngettext("%(shown)s of %(total)s claim", "%(shown)s of %(total)s claims", this.totalClaims,
      { shown: numText(claims), total: numText(this.totalClaims) });
    count.textContent = _("%(events)s, %(claims)s", { events: evs, claims: cls });
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
    // A static site's search: its first results (the list, with the count) first, its files
    // are at hand and the chart's redraw would hold their arrival; the chart after. Elsewhere the
    // two together (a server's answer is on its way while the chart redraws).
    if (self.paged.static && q) {
      return self.showList().then(function () { return seq === self.seq ? self.draw() : null; });
    }
    return Promise.all([self.showList(), self.draw()]);
  }, function (err) {
    if (!current()) return;
    if (self.filterPending === pending) self.filterPending = null;
    self.trouble(err, function () { return self.update(); });
    self.busy(false);
  });
  return pending;
};

// The search's matches are marked in the text (<mark>) of at most this many events in view.
var MARK_AT_MOST = 500;

/* Mark the search's ``terms`` (lower case) in the text of the events ``keep`` (indices) that the
   list shows, and open the folds (summary, sources) a match is in; the marks and folds of an
   earlier search are undone first. */
Timeline.prototype.highlight = function (terms, keep) {
  var old = this.list.querySelectorAll("mark.tl-match"), k;
  for (k = 0; k < old.length; k++) {
    var parent = old[k].parentNode;
    parent.replaceChild(document.createTextNode(old[k].textContent), old[k]);
    parent.normalize();
  }
  var opened = this.list.querySelectorAll("details[data-tl-opened]");
  for (k = 0; k < opened.length; k++) { opened[k].open = false; opened[k].removeAttribute("data-tl-opened"); }
  terms = terms.filter(function (t) { return t; });
  if (!terms.length) return;
  var pattern = new RegExp(terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "gi");
  for (k = 0; k < keep.length && k < MARK_AT_MOST; k++) {
    var item = this.items[this.ev.id[keep[k]]];
    if (item) markIn(item.li, pattern);
  }
};

/* Wrap each match of ``pattern`` in the text under ``el`` in <mark class="tl-match">. */
function markIn(el, pattern) {
  var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), nodes = [], node;
  while ((node = walker.nextNode())) {
    if (node.parentNode.closest("li.tl-claim[hidden], summary, mark")) continue;
    pattern.lastIndex = 0;
    if (pattern.test(node.data)) nodes.push(node);
  }
  nodes.forEach(function (n) {
    var frag = document.createDocumentFragment(), text = n.data, last = 0, m;
    pattern.lastIndex = 0;
    while ((m = pattern.exec(text))) {
      frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement("mark");
      mark.className = "tl-match";
      mark.textContent = m[0];
      frag.appendChild(mark);
      last = m.index + m[0].length;
    }
    frag.appendChild(document.createTextNode(text.slice(last)));
    var fold = n.parentNode.closest("details");
    if (fold && !fold.open) { fold.open = true; fold.setAttribute("data-tl-opened", "1"); }
    n.parentNode.replaceChild(frag, n);
  });
}
