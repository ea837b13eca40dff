// Front-end code of the import slice: the group-action toolbar of the lists (Alpine
// components register on alpine:init, before Alpine starts).
(function () {
  "use strict";

  document.addEventListener("alpine:init", function () {
    // bulkSelect: the checked rows of a list and what to do with them. The row checkboxes
    // belong to #bulk-form (form="bulk-form"); "all N matching" sends all=1 and the list's
    // query instead, and the server finds the rows again. The confirm dialog is app.js's
    // (data-confirm, bound to the count); the form is then posted here so that the answer's
    // counts become a toast and the list redraws in place. Methods read the component through
    // $root: $el is the element an expression runs on (a row checkbox, the form).
    window.Alpine.data("bulkSelect", function () {
      return {
        count: 0,
        all: false,
        busy: false,
        action: "",
        total: 0,
        init: function () {
          this.total = parseInt(this.$root.dataset.total, 10) || 0;
        },
        boxes: function () {
          return Array.prototype.slice.call(this.$root.querySelectorAll("input.bulk-row"));
        },
        refresh: function () {
          this.count = this.boxes().filter(function (b) { return b.checked; }).length;
          if (!this.pageChecked) this.all = false;
        },
        get pageChecked() {
          var n = this.boxes().length;
          return n > 0 && this.count === n;
        },
        get selected() {
          return this.all ? this.total : this.count;
        },
        togglePage: function (e) {
          var on = e.target.checked;
          this.boxes().forEach(function (b) { b.checked = on; });
          this.refresh();
        },
        clear: function () {
          this.boxes().forEach(function (b) { b.checked = false; });
          this.all = false;
          this.refresh();
        },
        selectedText: function () {
          return (this.$root.dataset.selectedTpl || "").replace("__N__", this.selected.toLocaleString(document.body.dataset.lang === "en" ? "en-US" : "ru-RU"));
        },
        confirmText: function () {
          var tpl = this.action === "delete" ? this.$root.dataset.confirmDeleteTpl : this.$root.dataset.confirmTpl;
          return (tpl || "").replace("__N__", this.selected.toLocaleString(document.body.dataset.lang === "en" ? "en-US" : "ru-RU"));
        },
        checkedIDs: function () {
          return this.boxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
        },
        exportSelection: function (format) {
          var p = new URLSearchParams();
          p.set("format", format);
          p.set("query", this.$root.dataset.query || "");
          if (this.all) {
            p.set("all", "1");
          } else {
            this.checkedIDs().forEach(function (id) { p.append("id", id); });
            if (this.$root.dataset.after) p.set("after", this.$root.dataset.after);
          }
          window.location.assign(this.$root.dataset.export + "?" + p.toString());
        },
        run: function (e) {
          // app.js cancels the first submit to ask; the confirmed one comes back here.
          if (e.defaultPrevented) return;
          e.preventDefault();
          var form = e.target;
          delete form.dataset.confirmed;
          var self = this;
          self.busy = true;
          var body = new URLSearchParams(new FormData(form));
          fetch(form.getAttribute("action"), {
            method: "POST", body: body, credentials: "same-origin",
            headers: { "Accept": "application/json" }
          }).then(function (res) {
            return res.json().catch(function () { return { level: "danger", message: res.statusText }; });
          }).then(function (ans) {
            self.busy = false;
            if (window.ladderToast) window.ladderToast(ans.level || "info", ans.message || "");
            if (ans.level !== "danger" && window.htmx) {
              window.htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#list-region", swap: "outerHTML" });
            }
          }, function () {
            self.busy = false;
            if (window.ladderToast) window.ladderToast("danger", document.body.dataset.lang === "en" ? "The server cannot be reached." : "Сервер недоступен.");
          });
        }
      };
    });
  });
})();
