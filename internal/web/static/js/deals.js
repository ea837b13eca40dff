// Front-end code of the deals screens (Alpine components register on alpine:init).
(function () {
  "use strict";

  function toast(level, text) {
    if (window.ladderToast) window.ladderToast(level, text);
  }

  // formatMoney writes minor units the way the server does for the page's language.
  function formatMoney(lang, minor) {
    var opts = { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    var s = new Intl.NumberFormat(lang === "en" ? "en-US" : "ru-RU", opts).format(minor / 100);
    return lang === "en" ? s + " RUB" : s + "\u00a0₽";
  }

  function formatCount(lang, n) {
    return new Intl.NumberFormat(lang === "en" ? "en-US" : "ru-RU").format(n);
  }

  document.addEventListener("alpine:init", function () {
    var Alpine = window.Alpine;

    // kanban: drag and drop between stage columns. A drop posts to /deals/{id}/move (same
    // origin, so the CSRF guard lets it through); a drop on a lost stage first asks for the
    // reason; a refused move puts the card back where it was.
    Alpine.data("kanban", function (cfg) {
      return {
        lang: cfg.lang,
        contracts: cfg.contracts,
        origin: null,
        pending: null,
        lost: false,
        won: "",
        reason: "",
        error: "",
        busy: false,

        // remember notes where a card was before a drag, to put it back on refusal.
        remember: function (e) {
          var card = e.target.closest && e.target.closest("[data-deal]");
          if (!card) return;
          this.origin = { el: card, parent: card.parentNode, next: card.nextSibling };
        },

        revert: function (card) {
          var o = this.origin;
          if (o && o.el === card && o.parent) {
            o.parent.insertBefore(card, o.next && o.next.parentNode === o.parent ? o.next : null);
          }
        },

        drop: function (id, list) {
          var card = list.querySelector('[data-deal="' + id + '"]');
          if (!card) return;
          var from = this.origin && this.origin.el === card ? this.origin.parent : null;
          if (!from || from === list) return; // reordered within its column: nothing to save
          var move = { card: card, from: from, to: list };
          if (list.dataset.kind === "lost") {
            this.pending = move;
            this.reason = "";
            this.error = "";
            this.lost = true;
            var self = this;
            this.$nextTick(function () {
              var sel = document.getElementById("lost-reason");
              if (sel) sel.focus();
            });
            return;
          }
          this.send(move, "");
        },

        confirmLost: function () {
          if (!this.reason) {
            this.error = document.getElementById("kanban-messages").dataset.reasonRequired;
            return;
          }
          this.send(this.pending, this.reason);
        },

        cancel: function () {
          if (!this.lost) return;
          if (this.pending) this.revert(this.pending.card);
          this.pending = null;
          this.lost = false;
        },

        send: function (move, reason) {
          var self = this;
          var card = move.card;
          var body = new URLSearchParams();
          body.set("version", card.dataset.version);
          body.set("stage_id", move.to.dataset.stage);
          if (reason) body.set("loss_reason", reason);
          this.busy = true;
          fetch("/deals/" + card.dataset.deal + "/move", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
            body: body
          }).then(function (res) {
            return res.json().catch(function () { return { ok: false }; });
          }).then(function (res) {
            self.busy = false;
            if (!res.ok) {
              if (self.lost && res.fields && res.fields.loss_reason) {
                self.error = res.fields.loss_reason; // the dialog stays open
                return;
              }
              self.revert(card);
              self.lost = false;
              self.pending = null;
              toast("danger", res.message || document.getElementById("kanban-messages").dataset.failed);
              return;
            }
            card.dataset.version = res.version;
            self.shift(move.from, move.to, parseInt(card.dataset.amount || "0", 10));
            self.lost = false;
            self.pending = null;
            toast("success", res.message);
            if (res.won && self.contracts) self.won = "/contracts/new?deal=" + card.dataset.deal;
          }).catch(function () {
            self.busy = false;
            self.revert(card);
            self.lost = false;
            toast("danger", document.getElementById("kanban-messages").dataset.failed);
          });
        },

        // shift moves one deal's count and amount from one column head to another.
        shift: function (from, to, amount) {
          var lang = this.lang;
          [[from, -1], [to, 1]].forEach(function (p) {
            var col = p[0].closest("[data-column]");
            if (!col) return;
            var count = col.querySelector("[data-count]");
            var sum = col.querySelector("[data-sum]");
            var n = parseInt(count.dataset.count, 10) + p[1];
            var s = parseInt(sum.dataset.sum, 10) + p[1] * amount;
            count.dataset.count = n;
            count.textContent = formatCount(lang, n);
            sum.dataset.sum = s;
            sum.textContent = formatMoney(lang, s);
          });
        }
      };
    });

    // dealForm: the stage select shows the stages of the chosen topic; a new topic starts on
    // its first open stage (R34); the loss reason shows for a lost stage.
    Alpine.data("dealForm", function (cfg) {
      return {
        topic: cfg.topic,
        stage: cfg.stage,
        init: function () {
          this.filterStages();
        },
        filterStages: function () {
          var sel = this.$refs.stage;
          if (!sel) return;
          var topic = this.topic;
          Array.prototype.forEach.call(sel.options, function (o) {
            if (!o.dataset.topic) return;
            var other = o.dataset.topic !== topic;
            o.hidden = other;
            o.disabled = other;
          });
        },
        topicChanged: function () {
          this.filterStages();
          this.stage = "";
        },
        kind: function () {
          var sel = this.$refs.stage;
          if (!sel || !this.stage) return "";
          var o = sel.querySelector('option[value="' + this.stage + '"]');
          return o ? o.dataset.kind : "";
        }
      };
    });

    // dealLines: rows of the lines table are added from a template and removed in place.
    Alpine.data("dealLines", function () {
      return {
        add: function () {
          var row = this.$refs.blank.content.firstElementChild.cloneNode(true);
          this.$refs.rows.appendChild(row);
          var first = row.querySelector("select, input");
          if (first) first.focus();
        },
        remove: function (e) {
          var row = e.target.closest("tr");
          if (row) row.remove();
        }
      };
    });
  });

  // The board's topic select switches the board at once.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
})();
