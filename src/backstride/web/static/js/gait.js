// Form-check page: drag a box on the frame to choose the person to analyse (fills the x0..y1 fields in
// video pixels), and a metronome at the suggested step rate.
(function () {
  "use strict";
  var picker = document.querySelector(".box-picker");
  var form = document.getElementById("box-form");
  if (picker && form) {
    var img = picker.querySelector("img"), drawn = picker.querySelector(".box-drawn"), start = null;
    img.draggable = false; // a native image drag would swallow the pointer events
    img.addEventListener("dragstart", function (event) { event.preventDefault(); });
    var toVideo = function (event) {
      var rect = img.getBoundingClientRect(), scale = (+picker.dataset.width) / rect.width;
      var x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
      var y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height);
      return { x: x, y: y, vx: Math.round(x * scale), vy: Math.round(y * scale) };
    };
    var show = function (a, b) {
      drawn.hidden = false;
      drawn.style.left = Math.min(a.x, b.x) + "px";
      drawn.style.top = Math.min(a.y, b.y) + "px";
      drawn.style.width = Math.abs(a.x - b.x) + "px";
      drawn.style.height = Math.abs(a.y - b.y) + "px";
    };
    img.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      start = toVideo(event);
      img.setPointerCapture(event.pointerId);
    });
    img.addEventListener("pointermove", function (event) { if (start) show(start, toVideo(event)); });
    img.addEventListener("pointerup", function (event) {
      if (!start) return;
      var end = toVideo(event);
      show(start, end);
      form.x0.value = Math.min(start.vx, end.vx); form.y0.value = Math.min(start.vy, end.vy);
      form.x1.value = Math.max(start.vx, end.vx); form.y1.value = Math.max(start.vy, end.vy);
      start = null;
    });
  }

  // Refuse an oversized video before sending it (the server refuses it too, but only after the upload).
  var upload = document.getElementById("gait-upload");
  if (upload) {
    upload.addEventListener("submit", function (event) {
      var file = upload.video.files[0], limit = +upload.dataset.maxBytes;
      var tooBig = !!(file && limit && file.size > limit);
      document.getElementById("upload-too-big").hidden = !tooBig;
      if (tooBig) event.preventDefault();
    });
  }

  var button = document.getElementById("metronome");
  if (button) {
    var ctx = null, timer = null, label = button.textContent;
    button.addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; button.textContent = label; return; }
      var AudioCtx = window.AudioContext || window.webkitAudioContext;
      if (!AudioCtx) { button.textContent = "This browser cannot play sound"; return; }
      ctx = ctx || new AudioCtx();
      var tick = function () {
        var osc = ctx.createOscillator(), gain = ctx.createGain();
        osc.frequency.value = 1000; gain.gain.value = 0.3;
        osc.connect(gain); gain.connect(ctx.destination);
        osc.start(); osc.stop(ctx.currentTime + 0.03);
      };
      tick();
      timer = setInterval(tick, 60000 / (+button.dataset.spm));
      button.textContent = "Stop the metronome";
    });
  }
})();
