/* Selection and the URL hash: the selected event's card, the page's hash followed, and the
   filters kept in the hash ("#verdict=needs-context&q=museum", after an event's anchor if any:
   "#event-x&verdict=..."), so that a filtered view can be shared and comes back on Back and on
   reload. parseHash and formatHash are pure (tests/js). */
/* global Timeline, $, _ */
/* exported FILTER_KEYS, parseHash, formatHash */

// The filters the hash holds, in the order it writes them; zone and lanes only when not the default.
var FILTER_KEYS = ["q", "category", "actor", "verdict", "from", "to", "zone", "lanes"];
var FILTER_DEFAULTS = { zone: "own", lanes: "category" };

function decodePart(s) {
  try { return decodeURIComponent(s.replace(/\+/g, " ")); } catch (e) { return s; }
}

/* A location.hash read: ``anchor``, the id it names ("" if none), and ``filters``, the known
   filters it sets (key -> value; empty values and unknown keys left out). */
function parseHash(hash) {
  var out = { anchor: "", filters: {} }, h = String(hash || "").replace(/^#/, "");
  if (!h) return out;
  h.split("&").forEach(function (part) {
    var eq = part.indexOf("=");
    if (eq < 0) {
      if (!out.anchor && part) out.anchor = decodePart(part);
      return;
    }
    var key = decodePart(part.slice(0, eq)), value = decodePart(part.slice(eq + 1)).trim();
    if (FILTER_KEYS.indexOf(key) >= 0 && value && value !== FILTER_DEFAULTS[key]) out.filters[key] = value;
  });
  return out;
}

/* The hash for an anchor and filters ("" when both are empty): parseHash's inverse. */
function formatHash(anchor, filters) {
  var parts = anchor ? [encodeURIComponent(anchor)] : [];
  FILTER_KEYS.forEach(function (k) {
    var v = filters[k] ? String(filters[k]).trim() : "";
    if (v && v !== FILTER_DEFAULTS[k]) parts.push(k + "=" + encodeURIComponent(v).replace(/%20/g, "+"));
  });
  return parts.length ? "#" + parts.join("&") : "";
}

var CONTROL_OF = { q: "search", category: "category", actor: "actor", verdict: "verdict", from: "from",
  to: "to", zone: "zone", lanes: "lanes" };

/* The filters the controls hold now (as parseHash gives them). */
Timeline.prototype.filterState = function () {
  var c = this.controls || {}, out = {};
  FILTER_KEYS.forEach(function (k) {
    var el = c[CONTROL_OF[k]], v = el ? el.value.trim() : "";
    if (v && v !== FILTER_DEFAULTS[k]) out[k] = v;
  });
  return out;
};

/* Set the controls to these filters (the others to their default); true if any changed. */
Timeline.prototype.setFilters = function (filters) {
  var c = this.controls || {}, changed = false;
  FILTER_KEYS.forEach(function (k) {
    var el = c[CONTROL_OF[k]];
    if (!el) return;
    var v = filters[k] || FILTER_DEFAULTS[k] || "";
    if (el.value !== v) { el.value = v; changed = true; }
    // A value the page has no option for (an old link) reads as the default.
    if (el.tagName === "SELECT" && el.value !== v) el.value = FILTER_DEFAULTS[k] || "";
  });
  return changed;
};

/* The reader changed a filter: the address says so (replacing its entry), then the page does. */
Timeline.prototype.changed = function () {
  this.writeHash("");
  return this.update();
};

Timeline.prototype.writeHash = function (anchor) {
  if (!window.history || !history.replaceState) return;
  var h = formatHash(anchor, this.filterState());
  if (h === (location.hash === "#" ? "" : location.hash)) return;
  try {
    history.replaceState(history.state, "", location.href.split("#")[0] + h);
  } catch (e) { /* a page that may not change its address (a sandboxed frame): the filters still work */ }
};
Timeline.prototype.select = function (id, scroll) {
  var self = this, item = this.items && this.items[id], seq = ++this.selectSeq;
  function current() { return seq === self.selectSeq; }
  this.supersede("select");
  if (!item && this.paged && this.items && this.pos.has(id)) { // not loaded yet
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
    card.setAttribute("aria-label", _("Selected event"));
    var kids = item.li.children;
    for (i = 0; i < kids.length; i++) card.appendChild(kids[i].cloneNode(true));
    var ids = card.querySelectorAll("[id]");
    for (i = 0; i < ids.length; i++) ids[i].removeAttribute("id");
    var hidden = card.querySelectorAll("[hidden]");
    for (i = 0; i < hidden.length; i++) hidden[i].hidden = false;
    panel.innerHTML = "";
    var close = document.createElement("button");
    close.type = "button"; close.className = "tl-close"; close.textContent = _("Close");
    close.addEventListener("click", function () { panel.hidden = true; panel.innerHTML = ""; });
    panel.appendChild(close);
    panel.appendChild(card);
    panel.hidden = false;
    panel.setAttribute("data-event", id);
    if (scroll && panel.scrollIntoView) panel.scrollIntoView({ block: "nearest" });
  }
  return null;
};

/* The hash changed (or the page opened with one): filters it names are applied; an empty hash
   (Back to the unfiltered page) clears them; an anchor alone keeps the filters and the address
   gets them back. Then the anchor is followed. */
Timeline.prototype.followHash = function () {
  var parsed = parseHash(location.hash), h = parsed.anchor, hasFilters = false;
  for (var key in parsed.filters) if (parsed.filters[key]) hasFilters = true;
  if (hasFilters || !location.hash || location.hash === "#") {
    if (this.setFilters(parsed.filters)) this.update();
  } else {
    this.writeHash(h);
  }
  if (!h) return null;
  var el = document.getElementById(h);
  if (!el && this.paged && h.indexOf("event-") === 0 && this.pos.has(h.slice(6))) {
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
