// The symptom check with htmx: after each answer the new question swaps in; move keyboard and
// screen-reader focus to its heading (not back to the top of the page) and name it in the title.
(function () {
  "use strict";
  function settle(step) {
    if (!step || step.id !== "step") return;
    if (step.dataset.title) document.title = step.dataset.title;
    var field = step.querySelector('[aria-invalid="true"]');
    var heading = step.querySelector("h1.question");
    if (field) field.focus();
    else if (heading) heading.focus();
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    settle(document.getElementById("step"));
  });
  document.addEventListener("DOMContentLoaded", function () {
    var step = document.getElementById("step");
    if (!step) return;
    // A full page load (Start, or an answer without htmx): the number box takes the typing.
    var input = step.querySelector("#value-input");
    if (input) input.focus();
    else settle(step);
  });
})();
