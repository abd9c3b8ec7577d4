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
  // Said to screen readers (the page's polite live region), once per call even if the words repeat.
  function say(text) {
    var announce = document.getElementById("announce");
    if (!announce || !text) return;
    announce.textContent = "";
    announce.textContent = text;
  }
  // A phone whose person the facilitator put into another group (or dealt at random) says so, and shows it until the
  // next move. After the swap has settled: htmx puts the region's own classes back when it settles.
  var mine = document.getElementById("group");
  var groupShown = mine && mine.dataset.group || "", movedTo = "";
  function followGroup() {
    var region = document.getElementById("group");
    if (!region) return;
    var now = region.dataset.group || "";
    if (now && now !== groupShown) { movedTo = now; say(region.dataset.moved); }
    region.classList.toggle("moved", now !== "" && now === movedTo);
    groupShown = now;
  }
  document.addEventListener("htmx:wsAfterMessage", followGroup);
  document.addEventListener("htmx:afterSettle", followGroup);
  // A form that is one switch (the projector's sound) is sent as soon as the box is ticked or unticked.
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form[data-submit-on-change]");
    if (form) htmx.trigger(form, "submit");
  });
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
  // The end of a group's countdown, seen on this page (a page opened later shows it, but does not say it again):
  // every screen says "Zeit ist um" in its live region and shows it on a red band (static/app.css); the projector
  // plays a short sound of its own making, if the facilitator left the sound on and someone clicked "Ton ...
  // einschalten" on the projector (browsers allow sound only after a click on the page: never a surprise).
  var seenRunning = new Set(), ended = new Set(), audio = null;
  function soundWanted() {
    var region = document.getElementById("timer");
    return document.body.classList.contains("projector") && region && region.dataset.sound === "on";
  }
  function showUnlock() {
    var button = document.getElementById("sound-unlock");
    if (button) button.hidden = !soundWanted() || (audio !== null && audio.state === "running");
  }
  function chime() {
    if (!audio || audio.state !== "running") return;
    var start = audio.currentTime;
    [[0, 880], [0.25, 880], [0.5, 1175]].forEach(function (note) {
      var tone = audio.createOscillator(), volume = audio.createGain(), at = start + note[0];
      tone.frequency.value = note[1];
      volume.gain.setValueAtTime(0.0001, at);
      volume.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start(at);
      tone.stop(at + 0.22);
    });
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("#sound-unlock")) return;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    audio.resume().then(showUnlock);
  });
  function tick() {
    var countdowns = document.querySelectorAll(".countdown[data-state=running]");
    for (var i = 0; i < countdowns.length; i++) {
      var el = countdowns[i];
      var left = Number(el.dataset.end) - (Date.now() + offset);
      var text = left > 0 ? clock(left) : el.dataset.done;
      if (el.textContent !== text) el.textContent = text;
      el.classList.toggle("countdown-done", left <= 0);
      el.classList.toggle("countdown-last", left > 0 && left <= 60000);
      var own = el.closest("#timer");  // the group's own timer, not a card of the overview
      if (!own) continue;
      own.classList.toggle("timer-over", left <= 0);
      if (left > 0) seenRunning.add(el.dataset.end);
      else if (seenRunning.has(el.dataset.end) && !ended.has(el.dataset.end)) {
        ended.add(el.dataset.end);
        say(el.dataset.done);
        if (soundWanted()) chime();
      }
    }
    showUnlock();
  }
  window.setInterval(tick, 250);
  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("htmx:wsAfterMessage", tick);
  tick();
  // --- The projector's idea board: type as large as the screen allows -----------------------------------------------
  // Between the floor the back row needs (static/app.css, per number of cards) and 1.6 × the usual size, the largest
  // that shows the whole board without scrolling; where even the floor does not fit, long cards are cut to 5, 4, 3,
  // then 2 lines.
  function fitBoard() {
    var board = document.querySelector(".projector .stage-ideas .board");
    if (!board) return;
    var page = document.documentElement;
    var fits = function () {  // a pixel of rounding is no overflow
      return page.scrollHeight <= window.innerHeight + 2 && page.scrollWidth <= window.innerWidth + 2;
    };
    var set = function (fit) { board.style.setProperty("--fit", String(fit)); };
    board.removeAttribute("data-clamp");
    var low = 0.6, high = 1.6;
    set(high);
    if (!fits()) {
      for (var i = 0; i < 7; i++) {
        var mid = (low + high) / 2;
        set(mid);
        if (fits()) low = mid; else high = mid;
      }
      set(low);
    }
    var lines = [5, 4, 3, 2];
    for (var j = 0; j < lines.length && !fits(); j++) board.setAttribute("data-clamp", String(lines[j]));
  }
  if (document.body.classList.contains("projector")) {
    fitBoard();
    window.addEventListener("resize", fitBoard);
    document.addEventListener("htmx:oobAfterSwap", function (e) {
      if (e.target && (e.target.id === "stage" || e.target.id === "headcount")) fitBoard();
    });
  }

  // --- Nothing typed is lost, focus stays where the person acts --------------------------------------------------
  // Live updates swap whole regions. What someone typed into a field (and a box they ticked) is kept as a draft,
  // keyed by its form and name, and put back into the region that replaces it; the focused field keeps focus and
  // caret. A region the browser has already (the same fingerprint, data-v), or a later version of (data-r, the room's
  // revision), is not swapped at all. A draft ends when
  // its form was sent successfully.
  var drafts = new Map();
  var focused = null;

  function formKey(form) {
    var key = form.getAttribute("hx-post") || form.getAttribute("action") || "";
    var hidden = form.querySelectorAll("input[type=hidden]");
    for (var i = 0; i < hidden.length; i++) {
      if (hidden[i].name !== "once") key += "|" + hidden[i].name + "=" + hidden[i].value;
    }
    return key;
  }
  function fieldKey(el) {
    var form = el.form || (el.closest && el.closest("form"));
    if (!form || !el.name) return null;
    var choice = el.type === "radio" || el.type === "submit" || el.tagName === "BUTTON";
    var button = el.tagName === "BUTTON" ? "/" + el.textContent.trim() : "";  // two buttons may send one value
    return formKey(form) + "#" + el.name + (choice ? "=" + el.value + button : "");
  }
  function editable(el) {
    return el && el.name && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !/^(hidden|submit|button|reset|file)$/.test(el.type)));
  }
  function record(e) {
    var el = e.target;
    if (!editable(el)) return;
    var key = fieldKey(el);
    if (key) drafts.set(key, { value: el.value, checked: el.checked });
  }
  document.addEventListener("input", record, true);
  document.addEventListener("change", record, true);

  function restoreInto(root) {
    var fields = root.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var el = fields[i];
      var key = fieldKey(el);
      var draft = key && drafts.get(key);
      if (!draft) continue;
      if (el.type === "checkbox" || el.type === "radio") el.checked = draft.checked;
      else el.value = draft.value;
      var written = el.tagName === "TEXTAREA" || el.type === "text";
      var folded = written && el.value && el.closest("details");
      if (folded) folded.open = true;  // what someone began to write stays in view
    }
  }
  function findByKey(root, key) {
    var all = root.querySelectorAll("input, textarea, select, button");
    for (var i = 0; i < all.length; i++) if (fieldKey(all[i]) === key) return all[i];
    return null;
  }
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var target = e.detail.target, incoming = e.detail.fragment && e.detail.fragment.firstElementChild;
    if (incoming && target.dataset && target.dataset.v && incoming.dataset && incoming.dataset.v === target.dataset.v) {
      e.detail.shouldSwap = false;  // this browser shows exactly that already
      return;
    }
    if (incoming && target.dataset && incoming.dataset && Number(incoming.dataset.r) < Number(target.dataset.r)) {
      e.detail.shouldSwap = false;  // an older state, overtaken by a later one (the answer to this browser's post)
      return;
    }
    var active = document.activeElement;
    if (active && target.contains(active) && active.name) {
      focused = { key: fieldKey(active), start: active.selectionStart, end: active.selectionEnd, y: window.scrollY };
    }
    if (incoming) restoreInto(incoming);
    fillOnce(incoming || target);
  });
  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var region = e.target;
    if (focused && region && region.querySelectorAll) {
      var el = findByKey(region, focused.key);
      if (el) {
        el.focus({ preventScroll: true });
        if (typeof focused.start === "number" && el.setSelectionRange) {
          try { el.setSelectionRange(focused.start, focused.end); } catch (err) { /* not a text field */ }
        }
        window.scrollTo(window.scrollX, focused.y);
        focused = null;
      }
    }
  });

  // --- Sent once, even when sent again ----------------------------------------------------------------------------
  // A form that creates something carries a key of its own (name="once"); the server applies an action with a key it
  // has seen only once. So a form can be sent again after a lost connection, or tapped twice, without a duplicate.
  function newKey() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function fillOnce(root) {
    if (!root || !root.querySelectorAll) return;
    var keys = root.querySelectorAll("input[name=once]");
    for (var i = 0; i < keys.length; i++) {
      var key = fieldKey(keys[i]), draft = drafts.get(key);
      if (draft) { keys[i].value = draft.value; continue; }
      keys[i].value = newKey();
      drafts.set(key, { value: keys[i].value, once: true });
    }
  }
  fillOnce(document);

  function findForm(key) {
    var forms = document.querySelectorAll("form[hx-post]");
    for (var i = 0; i < forms.length; i++) if (formKey(forms[i]) === key) return forms[i];
    return null;
  }

  // --- Not sent: said, kept, and sent again when the connection is back ---------------------------------------------
  // A request is followed on its own XHR, bound while its form is on the page: a push may redraw the form while the
  // request is under way, and events of a form no longer on the page do not reach the document.
  var unsent = new Set();
  function markUnsent(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("form[hx-post]") : [];
    for (var i = 0; i < forms.length; i++) {
      if (!unsent.has(formKey(forms[i]))) continue;
      forms[i].classList.add("unsent");
      forms[i].setAttribute("data-unsent", document.body.getAttribute("data-unsent") || "");
    }
  }
  function sendAgain() {
    var forms = document.querySelectorAll("form[hx-post]");
    for (var i = 0; i < forms.length; i++) {
      if (unsent.has(formKey(forms[i]))) {
        unsent.delete(formKey(forms[i]));
        htmx.trigger(forms[i], "submit");
      }
    }
  }
  document.addEventListener("htmx:wsOpen", sendAgain);
  window.addEventListener("online", sendAgain);
  document.addEventListener("htmx:oobAfterSwap", function (e) { markUnsent(e.target); });

  document.addEventListener("htmx:beforeSend", function (e) {
    var form = e.detail.elt && e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    var xhr = e.detail.xhr;
    if (!form || !xhr) return;
    var key = formKey(form), said = form.getAttribute("data-done");
    function lost() {
      unsent.add(key);
      markUnsent(document);
      show("offline");
    }
    xhr.addEventListener("error", lost);
    xhr.addEventListener("timeout", lost);
    xhr.addEventListener("load", function () {
      if (xhr.status >= 400) return;  // refused: the notice says why, and what was typed stays
      // Sent: the form's drafts end, the form on the page now starts empty again, and it is said politely.
      var prefix = key + "#";
      drafts.forEach(function (_, k) { if (k.indexOf(prefix) === 0) drafts.delete(k); });
      unsent.delete(key);
      var shown = findForm(key);
      if (shown) {
        shown.classList.remove("unsent");
        shown.removeAttribute("data-unsent");
        if (shown.hasAttribute("data-reset")) { shown.reset(); fillOnce(shown); }
      }
      if (said) say(said);
      if (opened) hide();
    });
  });
})();