/* Follow the device's "more contrast" setting unless the visitor chose a contrast on the display
   page (cookie, applied by the server). Loaded in <head> so the page never flashes. */
(function () {
  var root = document.documentElement;
  if (root.getAttribute("data-contrast") !== "system" || !window.matchMedia) return;
  var query = window.matchMedia("(prefers-contrast: more)");
  function apply() {
    if (query.matches) root.setAttribute("data-krds-mode", "high-contrast");
    else root.removeAttribute("data-krds-mode");
  }
  apply();
  if (query.addEventListener) query.addEventListener("change", apply);
})();
