// Behaviours the workbench's templates ask for with data- attributes, so that no page needs inline script
// under the Content-Security-Policy (script-src 'self'). Delegated from the document: htmx-swapped parts
// behave the same.
//   <select data-autosubmit>   submits its form when the choice changes
//   <button data-print>        opens the browser's print dialog
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
