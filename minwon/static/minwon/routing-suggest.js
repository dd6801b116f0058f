/* The counter's registration form: routing's department suggestion (top 3, confidence, the
   words behind it) for the title and text typed so far, on the button or after a pause in
   typing; "Use this department" fills the department field. Progressive enhancement: without
   this file the form works and the box stays hidden. No inline script (the CSP forbids it). */
(function () {
  "use strict";

  var PAUSE_MS = 800;

  function wire(box) {
    var form = box.closest("form");
    var select = document.getElementById(box.getAttribute("data-unit-field"));
    var title = document.getElementById(box.getAttribute("data-title-field"));
    var body = document.getElementById(box.getAttribute("data-body-field"));
    var token = form && form.querySelector("input[name='csrfmiddlewaretoken']");
    var button = box.querySelector("[data-suggest-button]");
    var result = box.querySelector("[data-suggest-result]");
    var status = box.querySelector("[data-suggest-status]");
    if (!form || !select || !title || !body || !token || !button || !result || !status) return;
    var reasons = JSON.parse(box.getAttribute("data-reasons") || "{}");
    var timer = null;
    var last = null;

    function say(text) { status.textContent = text; }

    function render(data) {
      result.textContent = "";
      var dept = data.department || { suggestions: [], reason: "" };
      if (!dept.suggestions.length) {
        var reason = data.reason || dept.reason;
        say(box.getAttribute("data-none") + " " + (reasons[reason] || reasons[""] || ""));
        return;
      }
      var list = document.createElement("ol");
      list.className = "routing-suggest-list";
      dept.suggestions.forEach(function (s) {
        var item = document.createElement("li");
        var name = document.createElement("strong");
        name.textContent = s.name || s.label;
        item.appendChild(name);
        item.appendChild(document.createTextNode(" " + Math.round(s.confidence * 100) + "%"));
        if (s.words.length) {
          var words = document.createElement("span");
          words.className = "muted";
          words.textContent = " · " + box.getAttribute("data-words") + " " + s.words.join(", ");
          item.appendChild(words);
        }
        if (select.querySelector("option[value='" + CSS.escape(s.label) + "']")) {
          var use = document.createElement("button");
          use.type = "button";
          use.className = "krds-btn tertiary xsmall";
          use.textContent = box.getAttribute("data-use");
          use.setAttribute("aria-label", box.getAttribute("data-use") + ": " + (s.name || s.label));
          use.addEventListener("click", function () {
            select.value = s.label;
            select.dispatchEvent(new Event("change", { bubbles: true }));
            say(box.getAttribute("data-chosen") + " " + (s.name || s.label));
          });
          item.appendChild(document.createTextNode(" "));
          item.appendChild(use);
        }
        list.appendChild(item);
      });
      result.appendChild(list);
      say(box.getAttribute("data-ready"));
    }

    function suggest(force) {
      var text = (title.value + "\n" + body.value).trim();
      if (!force && text === last) return;
      last = text;
      say(box.getAttribute("data-working"));
      fetch(box.getAttribute("data-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
        body: JSON.stringify({ text: text })
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(render).catch(function () {
        result.textContent = "";
        say(box.getAttribute("data-failed"));
      });
    }

    box.hidden = false;
    button.addEventListener("click", function () { suggest(true); });
    [title, body].forEach(function (field) {
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { suggest(false); }, PAUSE_MS);
      });
    });
  }

  document.querySelectorAll("[data-routing-suggest]").forEach(wire);
})();
