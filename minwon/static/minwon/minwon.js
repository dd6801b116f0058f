/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // After a form comes back with errors, put the keyboard focus on the first field in error, so
  // screen-reader users hear its label and message and everyone can correct it straight away.
  function focusFirstError() {
    var field = document.querySelector("main [aria-invalid='true']");
    if (field) {
      field.focus();
      return;
    }
    var summary = document.querySelector("main [data-error-summary]");
    if (summary) summary.focus();
  }

  // Links in an error summary move focus to the field, not only scroll to it.
  function wireErrorSummary() {
    document.querySelectorAll("[data-error-summary] a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) return;
        event.preventDefault();
        target.focus();
      });
    });
  }

  // A button that must not be pressed twice (submitting a complaint) says so while it works.
  function guardDoubleSubmit() {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type='submit']").forEach(function (button) {
          button.setAttribute("aria-disabled", "true");
          button.addEventListener("click", function (event) { event.preventDefault(); });
        });
      });
    });
  }

  // The skip link moves focus to the main content without leaving "#main-content" in the address
  // (a fragment would follow the next form post and steal the focus from an error).
  function wireSkipLink() {
    var link = document.querySelector("#krds-skip-link a");
    var main = document.getElementById("main-content");
    if (!link || !main) return;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
  }

  // File inputs state their limits; files that are too large or too many are refused here, before
  // they are sent, with the message under the field (the server checks everything again).
  function checkFileInputs() {
    document.querySelectorAll("input[type='file'][data-max-bytes]").forEach(function (input) {
      var message = document.getElementById(input.name + "-check");
      input.addEventListener("change", function () {
        var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10);
        var maxFiles = parseInt(input.getAttribute("data-max-files"), 10);
        var problem = "";
        if (input.files.length > maxFiles) problem = input.getAttribute("data-msg-count");
        Array.prototype.forEach.call(input.files, function (file) {
          if (file.size > maxBytes) problem = input.getAttribute("data-msg-size");
        });
        if (message) {
          message.textContent = problem;
          message.hidden = !problem;
        }
        if (problem) {
          input.value = "";
          input.setAttribute("aria-invalid", "true");
        } else if (!document.getElementById(input.name + "-error")) {
          input.removeAttribute("aria-invalid");
        }
      });
    });
  }

  function registerServiceWorker() {
    if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
    navigator.serviceWorker.register("/sw.js").catch(function () { /* optional */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError();
    wireSkipLink();
    wireErrorSummary();
    guardDoubleSubmit();
    checkFileInputs();
    registerServiceWorker();
  });
})();
