/* The counter tablet's mobile-ID session page: while a QR code waits for the wallet, and while a
   result is on the screen, ask the server every 2 seconds what to show, so the answer appears
   by itself and leaves the screen when its time is up. Progressive enhancement only: without
   this file the "Check for the answer" link does the same. */
(function () {
  "use strict";
  var region = document.querySelector("[data-identity-poll]");
  if (!region || !window.fetch) return;
  var url = region.getAttribute("data-identity-poll");
  var refresh = document.querySelector("[data-identity-refresh]");
  if (refresh) refresh.hidden = true;

  function current() {
    var node = region.querySelector("[data-identity-state]");
    return node ? node.getAttribute("data-identity-state") : "";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var before = current();
        var holder = document.createElement("div");
        holder.innerHTML = html; // our own server-rendered fragment (same origin, no scripts)
        var next = holder.querySelector("[data-identity-state]");
        if (!next) throw new Error("no state");
        var after = next.getAttribute("data-identity-state");
        if (after !== before || after === "showing") {
          region.replaceChildren(next);
          if (after !== before) {
            var heading = region.querySelector("#identity-result");
            if (heading) heading.focus();
          }
        }
        if (after === "pending" || after === "showing") window.setTimeout(poll, 2000);
      })
      .catch(function () {
        if (refresh) refresh.hidden = false; // the officer can still ask by hand
        window.setTimeout(poll, 5000);
      });
  }
  if (current() === "pending" || current() === "showing") window.setTimeout(poll, 2000);
})();
