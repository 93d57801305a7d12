// Hold timer for plan items: counts each hold down, side by side and set by set, with the rest
// between sets. Event delegation, so it keeps working after htmx swaps the list.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var SWITCH_S = 5; // time to change side or get into position
  var audio = null; // one context, made on the tap that starts a timer (phones only allow sound then)
  var running = [];

  function unlockAudio() {
    var AudioCtx = window.AudioContext || window.webkitAudioContext;
    if (!audio && AudioCtx) audio = new AudioCtx();
    if (audio && audio.state === "suspended") audio.resume();
  }

  function beep() {
    try {
      if (audio) {
        var osc = audio.createOscillator();
        osc.frequency.value = 880;
        osc.connect(audio.destination);
        osc.start();
        osc.stop(audio.currentTime + 0.15);
      }
    } catch (e) { /* sound is optional */ }
    if (navigator.vibrate) navigator.vibrate(200);
  }

  function stopAll() {
    running.forEach(function (box) { clearInterval(box._timer); box._timer = null; });
    running = [];
  }

  function phases(box) {
    var hold = +box.dataset.hold, sets = +box.dataset.sets || 1, sides = +box.dataset.sides || 1;
    var rest = +box.dataset.rest || 0, list = [];
    for (var s = 1; s <= sets; s++) {
      for (var side = 1; side <= sides; side++) {
        var label = "Set " + s + " of " + sets + (sides > 1 ? (side === 1 ? ", first side" : ", second side") : "");
        list.push({ name: "Get ready: " + label, seconds: SWITCH_S });
        list.push({ name: "Hold: " + label, seconds: hold, hold: true });
      }
      if (s < sets && rest > 0) list.push({ name: "Rest", seconds: rest });
    }
    return list;
  }

  function run(box) {
    var out = box.querySelector(".timer-out"), button = box.querySelector(".timer-start");
    if (box._timer) { // a second press stops it
      clearInterval(box._timer); box._timer = null;
      button.textContent = "Start " + box.dataset.hold + " s hold timer";
      out.textContent = "Stopped.";
      return;
    }
    unlockAudio();
    var list = phases(box), index = 0, left = list[0].seconds;
    running.push(box);
    button.textContent = "Stop timer";
    out.textContent = list[0].name + ": " + left + " s";
    box._timer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        if (list[index].hold) beep();
        index += 1;
        if (index >= list.length) {
          clearInterval(box._timer); box._timer = null;
          out.textContent = box.dataset.finished || "All sets done. Tick it off below.";
          button.textContent = "Start " + box.dataset.hold + " s hold timer";
          return;
        }
        left = list[index].seconds;
      }
      out.textContent = list[index].name + ": " + left + " s";
    }, 1000);
  }

  // A list swapped out by htmx (after a tick) takes its timers with it.
  document.addEventListener("htmx:beforeSwap", stopAll);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".timer-start");
    if (button) run(button.closest(".timer"));
  });
})();
