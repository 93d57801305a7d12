// The session player's rest timer (issue 13 item 4): for exercises done in sets of reps, a tap after
// each set counts the rest down, then says which set is next. Without JavaScript the player still
// works (Next and Back are links) and the timer stays hidden. Hold timers are timer.js's.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var ticking = null;

  function beep() {
    if (navigator.vibrate) navigator.vibrate(200);
  }

  function start(box) {
    var button = box.querySelector(".rest-start"), out = box.querySelector(".rest-out");
    var sets = +box.dataset.sets || 1, rest = +box.dataset.rest || 0;
    var done = +(box.dataset.done || 0) + 1; // sets finished, this one included
    box.dataset.done = done;
    if (ticking) { clearInterval(ticking); ticking = null; }
    if (done >= sets) {
      out.textContent = "All " + sets + " sets done: tap Next.";
      button.hidden = true;
      return;
    }
    var left = rest;
    button.disabled = true;
    out.textContent = "Rest: " + left + " s";
    ticking = setInterval(function () {
      left -= 1;
      if (left > 0) { out.textContent = "Rest: " + left + " s"; return; }
      clearInterval(ticking); ticking = null;
      beep();
      out.textContent = "Start set " + (done + 1) + " of " + sets + " now.";
      button.disabled = false;
      button.textContent = "Set " + (done + 1) + " done: rest " + rest + " s";
      if (done + 1 >= sets) button.textContent = "Set " + (done + 1) + " done: last set";
    }, 1000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".rest-start");
    if (button) start(button.closest(".rest-timer"));
  });
})();
