// Front-end code of the work screens (Alpine components register on alpine:init).
// Tasks, files, notes and the reminder bell work with plain htmx; this file adds what htmx
// does not do by itself.
(function () {
  "use strict";

  // Server-sent "toast" events (a reminder came) show as a toast; the hidden element that
  // listens for them swaps nothing.
  document.addEventListener("htmx:sseBeforeMessage", function (e) {
    var msg = e.detail;
    if (!msg || msg.type !== "toast") return;
    e.preventDefault();
    try {
      var t = JSON.parse(msg.data);
      if (window.ladderToast) window.ladderToast(t.Level || "info", t.Text || "");
    } catch (err) { /* a malformed event is ignored */ }
  });

  // A work form (task, file, note on a card) answered 422 or 403 carries its inline errors:
  // swap it in instead of treating it as a failed request.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr && e.detail.xhr.status;
    if ((status === 422 || status === 403) && e.detail.target && e.detail.target.closest &&
        e.detail.target.closest(".work-region")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
})();
