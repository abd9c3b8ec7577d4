// workshop: drag and drop on the facilitator's idea board (SortableJS). No inline scripts, no eval (strict CSP).
// The server owns the order: a drop is sent as the same form post the card's "⋯" menu makes, and its answer (the
// out-of-band regions) redraws the board. Sortable only moves the card on screen until that answer arrives.
(function () {
  "use strict";
  var lists = [];  // live Sortable instances
  var dragging = false;  // from pressing a card or a theme until letting go
  var missed = false;  // a new #stage arrived during the drag and was not shown

  function resync() {  // the socket answers with the full current state
    if (window.workshopSocket) window.workshopSocket.send(JSON.stringify({ type: "resync" }));
  }

  function catchUp() {
    if (missed && !dragging) {
      missed = false;
      resync();
    }
  }

  // The server replaces #stage after every change anywhere in the room; replacing it mid-drag would pull the card
  // from under the finger. Skip those swaps during a drag and fetch the state once the card is let go.
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    if (dragging && e.detail.target && e.detail.target.id === "stage") {
      e.preventDefault();  // htmx 2 then leaves the old #stage in place
      missed = true;
    }
  });
  // A refused move (someone deleted the card meanwhile, voting started …) leaves the card where Sortable put it.
  ["htmx:responseError", "htmx:sendError"].forEach(function (name) {
    document.addEventListener(name, function (e) {
      if (e.detail.elt && e.detail.elt.hasAttribute && e.detail.elt.hasAttribute("data-board")) resync();
    });
  });

  // Moves go out one at a time, in the order of the drops, each from the board on screen when it is sent. (htmx
  // would queue a second post from the same board itself, but an answer replaces that board, and htmx sends nothing
  // from an element no longer in the page: on a slow network a quick second drop was silently lost.)
  var moving = Promise.resolve();

  function send(board, url, values) {
    values.activity = board.getAttribute("data-activity");
    missed = false;  // the answer is the state after this move: newer than anything skipped during the drag
    moving = moving.then(function () {
      var source = document.querySelector("[data-board]") || document.body;
      return htmx.ajax("POST", url, { source: source, swap: "none", values: values });
    }).catch(function () {});  // a failed post is reported (htmx:sendError) and resynced above
  }

  function idAfter(item, name) {  // the id of the next card or theme: the server puts the moved one before it
    for (var el = item.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.hasAttribute("data-" + name)) return el.getAttribute("data-" + name);
    }
    return "";  // at the end
  }

  // One way for mouse, pen and touch: Sortable's own pointer handling (forceFallback) rather than HTML drag and drop,
  // which touch screens lack. On touch a card drags only after being held still a moment (delay); a finger that
  // moves sooner scrolls the page as usual.
  function options(more) {
    var base = {
      forceFallback: true,
      fallbackOnBody: true,  // the copy under the pointer lives in <body>, outside #stage and any clipping
      fallbackTolerance: 4,  // a click is not a drag
      delay: 200,
      delayOnTouchOnly: true,
      touchStartThreshold: 8,
      emptyInsertThreshold: 16,  // an empty theme is a small target
      filter: ".card-menu",  // the "⋯" menus keep their clicks, selects and text fields
      preventOnFilter: false,
      animation: 120,
      onChoose: function () { dragging = true; },
      onUnchoose: function () {
        dragging = false;
        window.setTimeout(catchUp);  // after onEnd, which may have sent a move
      },
    };
    for (var key in more) base[key] = more[key];
    return base;
  }

  function setUp(board) {
    board.querySelectorAll(".place").forEach(function (place) {
      if (Sortable.get(place)) return;
      lists.push(Sortable.create(place, options({
        group: "idea-cards",  // cards move between themes, the loose cards and the new-theme place
        draggable: "[data-card]",
        onEnd: function (e) {
          if (e.from === e.to && e.oldIndex === e.newIndex) return;
          var to = e.to.getAttribute("data-place");
          send(board, board.getAttribute("data-move"), {
            card: e.item.getAttribute("data-card"),
            to: to,
            before: to === "new" ? "" : idAfter(e.item, "card"),
            title: board.getAttribute("data-new-theme-title"),
          });
        },
      })));
    });
    var themes = board.querySelector("[data-themes]");
    if (themes && !Sortable.get(themes)) {
      lists.push(Sortable.create(themes, options({
        group: "idea-themes",
        handle: ".theme-head",
        draggable: "[data-theme]",  // not the new-theme place, which stays last
        onEnd: function (e) {
          if (e.oldIndex === e.newIndex) return;
          send(board, board.getAttribute("data-move-theme"), {
            theme: e.item.getAttribute("data-theme"),
            before: idAfter(e.item, "theme"),
          });
        },
      })));
    }
  }

  // htmx:load fires for the page and for every element htmx swaps in: POST answers and the socket's regions alike.
  document.addEventListener("htmx:load", function () {
    lists = lists.filter(function (list) {  // a swap replaced their board: let them go
      if (list.el.isConnected) return true;
      list.destroy();
      return false;
    });
    document.querySelectorAll(".board-sortable").forEach(setUp);
  });
})();
