/* share.js: a claim page's "Copy link" and "Share" buttons. The page needs no script: its link
   and its citation are plain HTML; this only adds the buttons (no request, no third-party code).
   Copy link uses the Clipboard API and says so in a visible status line; Share opens the
   device's own share sheet where the browser has one (navigator.share), and is absent otherwise.
   Its words are _("...") (`make messages` collects them); the page hands their translations in
   the story's language as JSON in the buttons' data-tl-words (timeline/views/chart_language.py
   share_words); without it they read as written here. */
(function () {
  "use strict";
  var WORDS = {};

  function _(msgid, values) {
    var s = typeof WORDS[msgid] === "string" && WORDS[msgid] ? WORDS[msgid] : msgid;
    return s.replace(/%\((\w+)\)s/g, function (all, k) { return values && k in values ? String(values[k]) : all; });
  }

  function init() {
    var actions = document.querySelector(".tl-share-actions");
    var link = document.querySelector(".tl-share-url");
    if (!actions || !link) return;
    try { WORDS = JSON.parse(actions.getAttribute("data-tl-words") || "{}") || {}; } catch (e) { WORDS = {}; }
    var url = link.href; // the public address when the site has one, else this page's own
    var blanks = document.querySelectorAll("[data-tl-address]");
    for (var i = 0; i < blanks.length; i++) blanks[i].textContent = url;
    var status = document.getElementById("tl-share-status");
    var copy = document.getElementById("tl-copy-link");
    var share = document.getElementById("tl-share-button");
    var heading = document.querySelector("h1");
    var title = heading ? heading.textContent.trim() : document.title;

    function say(text) {
      status.textContent = text;
    }

    function selectAddress() { // the reader copies it by hand
      var range = document.createRange();
      range.selectNodeContents(link);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }

    copy.addEventListener("click", function () {
      function failed() {
        selectAddress();
        say(_("This browser did not let the page copy: the address is selected, copy it with Ctrl+C (\u2318C on a Mac)."));
      }
      if (!navigator.clipboard || !navigator.clipboard.writeText) return failed();
      navigator.clipboard.writeText(url).then(function () {
        say(_("Link copied: %(url)s", { url: url }));
      }, failed);
    });

    if (typeof navigator.share === "function") {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).then(function () {
          say(_("Shared."));
        }, function (err) {
          if (!err || err.name !== "AbortError") say(_("Sharing did not work here: use Copy link instead."));
        });
      });
    }
    actions.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
