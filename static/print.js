// The print view of the minutes: its button opens the browser's print dialog (where "Save as PDF" is).
document.addEventListener("click", function (e) {
  if (e.target.closest && e.target.closest("[data-print]")) window.print();
});
