/* embed.js: runs inside embed.html when a newsroom's page frames it. It tells the host page
   its document's height, on load and whenever it changes (a narrower frame wraps more text),
   so the host can size the <iframe> and no scrollbar appears inside it. The host's snippet
   (embed.embed_code) accepts these messages only from this frame. Nothing else is sent. */
(function () {
  "use strict";
  if (window.parent === window) return; // opened on its own, not framed
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "timeline:height", height: height }, "*");
  }
  window.addEventListener("load", post);
  if (typeof ResizeObserver === "function") new ResizeObserver(post).observe(document.documentElement);
  post();
})();
