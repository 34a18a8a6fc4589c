// Print buttons: <button data-print> (no inline script: the CSP forbids it).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { window.print(); }
});
