// Front-end code of the company and contact screens: the record picker other forms reuse and
// the repeatable rows of phones and e-mails. Alpine components register on alpine:init.
//
// picker — choose a company or a contact by typing part of its name, INN, phone or e-mail:
//
//   <div x-data="picker('/pick/companies', 'company_id')">
//     <input type="hidden" name="company_id" value="42" x-ref="id">
//     <input type="search" value="ООО «Ромашка»" x-ref="q" @input.debounce.250ms="search()" @focus="search()"
//            @keydown.down.prevent="step(1)" @keydown.up.prevent="step(-1)"
//            @keydown.enter.prevent="choose(active)" @keydown.escape="open = false"
//            @blur="close()" @change="cleared()">
//     <div class="dropdown-menu" :class="open && 'show'">
//       <template x-for="(item, i) in items" :key="item.id">
//         <button type="button" class="dropdown-item" @mousedown.prevent="choose(i)"
//                 x-text="item.label"></button></template></div></div>
//
// Server-side templates get all of that from the partial {{template "party_picker" (dict
// "Form" $f "Name" "company_id" "Label" "field.deal.company_id" "URL" "/pick/companies"
// "Value" ($f.Get "company_id") "Text" $companyName)}} (templates/partials/parties.html).
// The endpoints answer [{"id": 1, "label": "…", "sub": "…"}], the first 20 matches:
// GET /pick/companies?q=… and GET /pick/contacts?q=…&company=ID (contacts of one company).
// The chosen record comes from the inputs' value attributes. The third and fourth arguments
// (initialId, initialLabel) are for pickers built in JavaScript only: never print a record's
// name into an x-data expression from a template, where a quote in it would become code.
// A contacts picker narrows to the company chosen in the same form when its x-data names the
// company input as a fifth argument: picker('/pick/contacts', 'contact_id', id, label,
// 'company_id'). Choosing fires an input event on the hidden input, so filter forms that
// reload on input (htmx) apply it at once; clearing the text clears the id.
(function () {
  "use strict";

  document.addEventListener("alpine:init", function () {
    var Alpine = window.Alpine;

    Alpine.data("picker", function (url, name, initialId, initialLabel, companyInput) {
      return {
        items: [],
        active: -1,
        open: false,
        chosenLabel: initialLabel || "",
        seq: 0,
        init: function () {
          if (this.$refs.id && initialId) this.$refs.id.value = initialId;
          if (this.$refs.q && initialLabel && !this.$refs.q.value) this.$refs.q.value = initialLabel;
        },
        search: function () {
          var self = this;
          var q = this.$refs.q.value.trim();
          if (q === this.chosenLabel && this.$refs.id.value) q = ""; // a chosen record: show the first page again
          var params = new URLSearchParams({ q: q });
          if (companyInput) {
            var form = this.$root.closest("form");
            var company = form && form.querySelector('input[name="' + companyInput + '"]');
            if (company && company.value) params.set("company", company.value);
          }
          var mine = ++this.seq; // answers may arrive out of order: keep the latest
          fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (res) { return res.ok ? res.json() : []; })
            .then(function (data) {
              if (mine !== self.seq) return;
              self.items = (Array.isArray(data) ? data : []).map(function (x) {
                return { id: x.id, label: x.label || ("#" + x.id), sub: x.sub || "" };
              });
              self.active = self.items.length ? 0 : -1;
              self.open = document.activeElement === self.$refs.q;
            })
            .catch(function () { self.items = []; });
        },
        step: function (d) {
          if (!this.items.length) return;
          this.open = true;
          this.active = (this.active + d + this.items.length) % this.items.length;
        },
        choose: function (i) {
          var item = this.items[i];
          if (!item) return;
          this.$refs.id.value = item.id;
          this.$refs.q.value = item.label;
          this.chosenLabel = item.label;
          this.open = false;
          this.$refs.id.dispatchEvent(new Event("input", { bubbles: true }));
        },
        cleared: function () {
          if (this.$refs.q.value.trim() === "" && this.$refs.id.value !== "") {
            this.$refs.id.value = "";
            this.chosenLabel = "";
            this.$refs.id.dispatchEvent(new Event("input", { bubbles: true }));
          }
        },
        close: function () {
          var self = this;
          setTimeout(function () { self.open = false; }, 150);
        }
      };
    });

    // partyRows: repeatable inputs (phones, e-mails). add() copies the last row empty and
    // focuses it; remove() drops a row, or empties the last one left.
    Alpine.data("partyRows", function () {
      return {
        add: function () {
          var rows = this.$refs.rows.querySelectorAll(".party-row");
          var last = rows[rows.length - 1];
          var copy = last.cloneNode(true);
          var input = copy.querySelector("input");
          input.value = "";
          input.classList.remove("is-invalid");
          input.removeAttribute("aria-invalid");
          this.$refs.rows.appendChild(copy);
          input.focus();
        },
        remove: function (e) {
          var rows = this.$refs.rows.querySelectorAll(".party-row");
          var row = e.target.closest(".party-row");
          if (!row) return;
          if (rows.length > 1) row.remove();
          else row.querySelector("input").value = "";
        }
      };
    });
  });
})();
