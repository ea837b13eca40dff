// Ladder: small behaviours on top of htmx, Alpine and Tabler. The CSP forbids inline scripts,
// so every behaviour a page needs is declared with data attributes and wired here.
(function () {
  "use strict";

  // Toasts: server-rendered ones (flash after a redirect) show on load; htmx responses ask for
  // one with the HX-Trigger header {"ladder:toast": {"Level": …, "Text": …}}.
  function showToast(el) {
    if (window.tabler && window.tabler.Toast) {
      window.tabler.Toast.getOrCreateInstance(el, { delay: 6000 }).show();
    } else {
      el.classList.add("show");
    }
  }

  function toast(level, text) {
    var tpl = document.getElementById("toast-template");
    var box = document.getElementById("toasts");
    if (!tpl || !box || !text) return;
    var el = tpl.content.firstElementChild.cloneNode(true);
    el.className = el.className.replace("toast-info", "toast-" + level);
    el.querySelector(".toast-text").textContent = text;
    box.appendChild(el);
    showToast(el);
    el.addEventListener("hidden.bs.toast", function () { el.remove(); });
  }
  window.ladderToast = toast;

  document.addEventListener("ladder:toast", function (e) {
    var d = e.detail || {};
    toast(d.Level || "info", d.Text || "");
  });

  // Confirm dialogs: a form with data-confirm asks first, in the page's own modal.
  var pendingForm = null;
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed === "1") return;
    var modalEl = document.getElementById("confirm-modal");
    if (!modalEl || !window.tabler || !window.tabler.Modal) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
      return;
    }
    e.preventDefault();
    pendingForm = form;
    document.getElementById("confirm-text").textContent = form.dataset.confirm;
    window.tabler.Modal.getOrCreateInstance(modalEl).show();
  }, true);

  function wireConfirm() {
    var ok = document.getElementById("confirm-ok");
    var modalEl = document.getElementById("confirm-modal");
    if (!ok || ok.dataset.wired) return;
    ok.dataset.wired = "1";
    ok.addEventListener("click", function () {
      if (!pendingForm) return;
      var f = pendingForm;
      pendingForm = null;
      f.dataset.confirmed = "1";
      window.tabler.Modal.getOrCreateInstance(modalEl).hide();
      if (f.requestSubmit) f.requestSubmit(); else f.submit();
    });
    modalEl.addEventListener("shown.bs.modal", function () { ok.focus(); });
  }

  // Copy buttons: data-copy names the input whose value to copy.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (btn) {
      var src = document.querySelector(btn.dataset.copy);
      if (!src) return;
      src.select();
      var done = function () { toast("success", btn.dataset.copied || "OK"); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(src.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
      return;
    }
    // Demo logins: a click fills the login form.
    var demo = e.target.closest && e.target.closest(".demo-fill");
    if (demo) {
      var l = document.getElementById("login"), p = document.getElementById("password");
      if (l && p) {
        l.value = demo.dataset.login;
        p.value = demo.dataset.password;
        document.getElementById("login-submit").focus();
      }
    }
  });

  // htmx: drop empty filter fields so that pushed list URLs stay short and readable, and
  // tell the user when a partial request fails instead of silently doing nothing.
  document.addEventListener("htmx:configRequest", function (e) {
    if (e.detail.verb !== "get") return;
    var params = e.detail.parameters;
    var drop = [];
    if (params && typeof params.forEach === "function") {
      params.forEach(function (v, k) { if (v === "") drop.push(k); });
      drop.forEach(function (k) { params.delete(k); });
    } else if (params) {
      Object.keys(params).forEach(function (k) { if (params[k] === "") delete params[k]; });
    }
  });
  document.addEventListener("htmx:sendError", function () {
    toast("danger", document.body.dataset.lang === "en" ? "The server cannot be reached." : "Сервер недоступен.");
  });

  function init() {
    document.querySelectorAll("#toasts .toast[data-autoshow]").forEach(showToast);
    wireConfirm();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  // Alpine components. Registered before Alpine starts (this file loads first).
  document.addEventListener("alpine:init", function () {
    // orderedPicker: an ordered list of chosen options (the user's directorates: the first is
    // the default). Up/down buttons for the keyboard, drag and drop with @alpinejs/sort.
    window.Alpine.data("orderedPicker", function () {
      return {
        options: [],
        selected: [],
        pick: "",
        labels: {},
        init: function () {
          var el = this.$el;
          try {
            this.options = JSON.parse(el.dataset.options || "[]") || [];
            this.selected = JSON.parse(el.dataset.selected || "[]") || [];
          } catch (err) {
            return; // keep the server-drawn fallback inputs
          }
          this.labels = { def: el.dataset.labelDefault, up: el.dataset.labelUp, down: el.dataset.labelDown, remove: el.dataset.labelRemove };
          if (this.$refs.fallback) this.$refs.fallback.remove();
        },
        available: function () {
          var chosen = this.selected.map(function (s) { return s.Value; });
          return this.options.filter(function (o) { return chosen.indexOf(o.Value) < 0; });
        },
        add: function () {
          var v = this.pick;
          var o = this.options.find(function (x) { return x.Value === v; });
          if (o) this.selected.push({ Value: o.Value, Label: o.Label });
          this.pick = "";
        },
        remove: function (i) { this.selected.splice(i, 1); },
        up: function (i) { if (i > 0) this.swap(i, i - 1); },
        down: function (i) { if (i < this.selected.length - 1) this.swap(i, i + 1); },
        swap: function (a, b) {
          var s = this.selected.slice();
          var t = s[a]; s[a] = s[b]; s[b] = t;
          this.selected = s;
        },
        move: function (key, position) {
          var s = this.selected.slice();
          var from = s.findIndex(function (x) { return x.Value === key; });
          if (from < 0) return;
          var item = s.splice(from, 1)[0];
          s.splice(position, 0, item);
          this.selected = s;
        }
      };
    });
  });
})();
