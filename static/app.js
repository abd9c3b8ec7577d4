// workshop: the little the pages need beyond htmx. No inline scripts, no eval (strict CSP).
(function () {
  "use strict";
  var banner = function () { return document.getElementById("connection"); };
  var opened = false;

  function show(kind) {
    var el = banner();
    if (!el) return;
    el.textContent = el.dataset[kind];
    el.hidden = false;
  }
  function hide() { var el = banner(); if (el) el.hidden = true; }

  document.addEventListener("htmx:wsOpen", function (e) {
    opened = true;
    hide();
    window.workshopSocket = e.detail.socketWrapper;
  });
  document.addEventListener("htmx:wsClose", function () { show("lost"); });
  // A corporate proxy may refuse the WebSocket upgrade: say so instead of staying silently stale.
  window.setTimeout(function () {
    if (!opened && document.querySelector("[ws-connect]")) show("blocked");
  }, 10000);
  // A phone back from the background asks for the current state at once.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && window.workshopSocket) {
      window.workshopSocket.send(JSON.stringify({ type: "resync" }));
    }
  });
  document.addEventListener("htmx:sendError", function () { show("offline"); });
  // "Kopieren": the Markdown export straight into the clipboard.
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    fetch(button.getAttribute("data-copy"), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (markdown) { return navigator.clipboard.writeText(markdown); })
      .then(function () { button.textContent = button.getAttribute("data-copied"); });
  });
  // Countdowns: the server owns the end time; this browser's clock may be off, so correct by the offset the page
  // was served with (body data-now), which also holds after a reconnect.
  var served = Number(document.body.dataset.now);
  var offset = served ? served - Date.now() : 0;
  function clock(ms) {
    var s = Math.ceil(ms / 1000);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function tick() {
    var countdowns = document.querySelectorAll(".countdown[data-state=running]");
    for (var i = 0; i < countdowns.length; i++) {
      var el = countdowns[i];
      var left = Number(el.dataset.end) - (Date.now() + offset);
      var text = left > 0 ? clock(left) : el.dataset.done;
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("countdown-done", left <= 0);
      el.classList.toggle("countdown-last", left > 0 && left <= 60000);
    }
  }
  window.setInterval(tick, 250);
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("htmx:wsAfterMessage", tick);
  tick();
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt;
    if (e.detail.successful && form && form.hasAttribute && form.hasAttribute("data-reset")) form.reset();
    if (e.detail.successful && opened) hide();
  });
})();
