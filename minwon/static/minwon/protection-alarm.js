/* The panic button and its alarm on every office page (issue 16, docs/protection.md).
   - Ctrl+Alt+E anywhere, or one click on the button, raises the alarm (POST, JSON answer).
   - Every second the page asks for the alarms sounding for this officer and shows them in the
     role="alert" region at the top of the page, each with "I am on it" (acknowledge) and a link. */
(function () {
  "use strict";
  var form = document.querySelector("[data-panic-form]");
  var region = document.querySelector("[data-panic-alarms]");
  var status = document.querySelector("[data-panic-status]");
  if (!form || !region) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var shown = {};

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
      body: body || new FormData(),
    }).then(function (r) { return r.json(); });
  }

  function press() {
    post(form.action, new FormData(form)).then(function (answer) {
      status.textContent = answer.message || "";
      status.classList.add("is-shown");
    }).catch(function () { form.submit(); });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); press(); });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey && event.altKey && (event.key === "e" || event.key === "E" || event.code === "KeyE")) {
      event.preventDefault();
      press();
    }
  });

  function render(alarms) {
    var ids = {};
    alarms.forEach(function (alarm) {
      ids[alarm.id] = true;
      if (shown[alarm.id]) return;
      var box = document.createElement("div");
      box.className = "panic-alarm";
      box.setAttribute("data-alarm", alarm.id);
      var title = document.createElement("strong");
      title.textContent = region.getAttribute("data-title") + " ";
      var text = document.createElement("span");
      text.textContent = alarm.text;
      var ack = document.createElement("button");
      ack.type = "button";
      ack.className = "krds-btn small secondary";
      ack.textContent = region.getAttribute("data-ack-label");
      ack.addEventListener("click", function () {
        post(alarm.ack).then(function () { box.remove(); delete shown[alarm.id]; });
      });
      var link = document.createElement("a");
      link.href = alarm.record;
      link.textContent = region.getAttribute("data-record-label");
      box.append(title, text, " ", ack, " ", link);
      region.appendChild(box);
      shown[alarm.id] = box;
    });
    Object.keys(shown).forEach(function (id) {
      if (!ids[id]) { shown[id].remove(); delete shown[id]; }
    });
  }

  function poll() {
    fetch(region.getAttribute("data-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { alarms: [] }; })
      .then(function (body) { render(body.alarms || []); })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
