// Account pages: print the slip list; "select all" on the deputy login page.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
document.addEventListener("change", function (event) {
  const all = event.target.closest("[data-select-all]");
  if (!all) { return; }
  document.querySelectorAll("input[name='" + all.getAttribute("data-select-all") + "']:not(:disabled)")
    .forEach(function (box) { box.checked = all.checked; });
});
