/* Camera scanning of the QR code a citizen's app shows (QR-CPM), for tablets without a USB
   scanner: the camera picture is read with jsQR (npm, served from /static/vendor/jsqr/) and the
   code is put in the "Scanned code" field and sent, exactly as the USB scanner would type it.
   Progressive enhancement: without a camera or this file, the field and the scanner still work. */
(function () {
  "use strict";
  var box = document.querySelector("[data-identity-camera]");
  if (!box || !window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var field = document.getElementById(box.getAttribute("data-identity-camera"));
  var startButton = box.querySelector("[data-camera-start]");
  var stopButton = box.querySelector("[data-camera-stop]");
  var video = box.querySelector("video");
  var status = box.querySelector("[data-camera-status]");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var timer = null;
  box.hidden = false;

  function say(text) { status.textContent = text; }

  function stop() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function look() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) {
        stop();
        field.value = code.data;
        say(box.getAttribute("data-found"));
        field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
        return;
      }
    }
    timer = window.setTimeout(look, 200);
  }

  startButton.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        stopButton.focus();
        say(box.getAttribute("data-looking"));
        return video.play();
      })
      .then(look)
      .catch(function () {
        stop();
        say(box.getAttribute("data-no-camera"));
      });
  });
  stopButton.addEventListener("click", function () {
    stop();
    say("");
    startButton.focus();
  });
})();
