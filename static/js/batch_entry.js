// Batch entry of paper suggestions: Enter moves to the same column of the next row (as in a
// spreadsheet) instead of submitting half a stack; Ctrl+Enter saves the whole page.
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key !== "Enter" || !field.closest || !field.closest("[data-batch-grid]")) return;
  if (event.ctrlKey || event.metaKey) {
    event.preventDefault();
    field.form.requestSubmit();
    return;
  }
  if (field.tagName === "TEXTAREA" && event.shiftKey) return;
  var column = field.dataset.col;
  var row = parseInt(field.dataset.row, 10);
  var next = document.querySelector('[data-row="' + (row + 1) + '"][data-col="' + column + '"]');
  event.preventDefault();
  if (next) next.focus();
});
