// "Print" buttons: shown only where JavaScript runs (the browser's own print works everywhere), and
// wired here rather than in an onclick attribute, which the Content-Security-Policy forbids.
(function () {
  "use strict";
  document.querySelectorAll(".print-page").forEach(function (holder) {
    holder.hidden = false;
    holder.querySelector("button").addEventListener("click", function () { window.print(); });
  });
})();
