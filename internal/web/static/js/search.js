// Front-end code of the search screens (Alpine components register on alpine:init).
(function () {
  "use strict";
  document.addEventListener("alpine:init", function () {
    // searchBox: the header's search. htmx fills the dropdown as the user types; this keeps it
    // open while there is something to show, closes it on Escape or a click elsewhere, and lets
    // the arrow keys walk the hits (Enter on a chosen hit opens it, else the search page).
    window.Alpine.data("searchBox", function () {
      return {
        open: false,
        active: -1,
        hits: function () {
          return Array.prototype.slice.call(this.$refs.dropdown.querySelectorAll("a.dropdown-item"));
        },
        opened: function () {
          this.active = -1;
          this.open = this.$refs.dropdown.children.length > 0 && this.$root.querySelector("input").value.trim() !== "";
        },
        reopen: function () {
          if (this.$refs.dropdown.children.length > 0 && this.$root.querySelector("input").value.trim() !== "") this.open = true;
        },
        close: function () {
          this.open = false;
          this.active = -1;
        },
        move: function (step) {
          var hits = this.hits();
          if (!hits.length) return;
          if (!this.open) this.open = true;
          hits.forEach(function (a) { a.classList.remove("active"); a.removeAttribute("aria-selected"); });
          this.active = (this.active + step + hits.length) % hits.length;
          hits[this.active].classList.add("active");
          hits[this.active].setAttribute("aria-selected", "true");
          hits[this.active].scrollIntoView({ block: "nearest" });
        },
        submit: function (ev) {
          var hits = this.hits();
          if (this.open && this.active >= 0 && hits[this.active]) {
            ev.preventDefault();
            window.location.href = hits[this.active].getAttribute("href");
          }
        }
      };
    });
  });
})();
