// Shared behaviour: confirmation for any element with data-confirm (htmx requests included).
document.addEventListener("click", function (event) {
  const el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); event.stopPropagation(); }
}, true);

// Double submission: every POST form carries a fresh one-time token (the server refuses a second
// request with the same token, see presidium.middleware.OneTimeSubmitMiddleware) and its buttons
// are disabled while the request is in flight. Buttons are disabled after the submit event so the
// clicked button's name/value still travels with the form.
(function () {
  function token() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }
  function stamp(form) {
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    let field = form.querySelector("input[name=_once]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "_once";
      form.appendChild(field);
    }
    field.value = token();
  }
  function stampAll(root) { (root || document).querySelectorAll("form").forEach(stamp); }
  document.addEventListener("DOMContentLoaded", function () { stampAll(document); });
  document.addEventListener("htmx:load", function (event) { if (event.target && event.target.querySelectorAll) { stampAll(event.target); } });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    if (!form.querySelector("input[name=_once]")) { stamp(form); }
    form.dataset.sending = "1";
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    }, 0);
    // A form whose answer is a download leaves the page in place: make it usable again later.
    window.setTimeout(function () { release(form); }, 15000);
  });
  function release(form) {
    delete form.dataset.sending;
    form.querySelectorAll("button[disabled][aria-busy], input[disabled][aria-busy]").forEach(function (b) {
      b.disabled = false;
      b.removeAttribute("aria-busy");
    });
    stamp(form);
  }
  // htmx forms stay on the page: each finished request gets the form a new token.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail && event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form) { stamp(form); }
  });
  // Coming back with the browser's Back button shows the page from cache: give it a new token
  // and usable buttons again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form").forEach(release);
  });
})();

// Searchable pickers (tom-select, served from node_modules): every deputy/unit picker
// (data-picker), every multi-select and any long list. A single choice keeps its empty first
// option as the placeholder, so nothing is preselected.
(function () {
  function enhance(root) {
    if (typeof window.TomSelect === "undefined") { return; }
    (root || document).querySelectorAll("select").forEach(function (select) {
      if (select.tomselect || select.hasAttribute("data-no-picker") || select.closest("footer, nav")) { return; }
      if (!(select.hasAttribute("data-picker") || select.multiple || select.options.length > 12)) { return; }
      const multiple = select.multiple;
      // tom-select moves the <label> onto its own input; the original (hidden) select keeps its name.
      const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
      if (label && !select.getAttribute("aria-label")) { select.setAttribute("aria-label", label.textContent.replace("*", "").trim()); }
      new window.TomSelect(select, {
        plugins: multiple ? ["remove_button"] : [],
        maxOptions: null,
        allowEmptyOption: false,
        hideSelected: multiple,
        closeAfterSelect: !multiple,
        placeholder: select.getAttribute("data-placeholder") || (document.documentElement.lang === "en" ? "Type to search" : "输入文字搜索"),
        render: {
          no_results: function () {
            return '<div class="no-results">' + (document.documentElement.lang === "en" ? "No match" : "没有匹配项") + "</div>";
          }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { if (event.target && event.target.querySelectorAll) { enhance(event.target); } });
})();
// No inline handlers anywhere (the Content-Security-Policy allows scripts from this site only):
// forms ask before submitting, selects submit their form, buttons print the page.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (form.matches("form[data-confirm-submit]") && !window.confirm(form.getAttribute("data-confirm-submit"))) {
    event.preventDefault(); event.stopPropagation();
  }
}, true);
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]") && event.target.form) { event.target.form.requestSubmit(); }
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
