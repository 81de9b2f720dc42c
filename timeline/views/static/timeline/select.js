/* Selection and the URL hash: the selected event's card, and the page's hash followed. */
/* global Timeline, $ */
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
