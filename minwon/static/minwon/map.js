/* The optional map pin on the filing form (Leaflet from npm, tiles from MAP_TILE_URL).
   Loaded only when a tile URL is configured. Without this script, or without the tiles, the
   address text is the whole place; with it, a click on the map (or the "centre" button, for
   keyboard users: the map pans with the arrow keys) fills the two hidden coordinate fields. */
(function () {
  "use strict";
  var PAJU_CITY_HALL = [37.75995, 126.78];

  function start() {
    var box = document.getElementById("location-map");
    if (!box || typeof L === "undefined") return;
    var wrap = box.closest("[data-map-wrap]");
    var lat = document.getElementById("id_location_lat");
    var lng = document.getElementById("id_location_lng");
    var status = wrap.querySelector("[data-map-status]");
    wrap.hidden = false;
    L.Icon.Default.imagePath = box.getAttribute("data-icon-path");
    var hasPin = lat.value !== "" && lng.value !== "";
    var map = L.map(box, { keyboard: true }).setView(
      hasPin ? [parseFloat(lat.value), parseFloat(lng.value)] : PAJU_CITY_HALL, hasPin ? 17 : 14
    );
    L.tileLayer(box.getAttribute("data-tile-url"), { maxZoom: 19 }).addTo(map);
    var marker = null;

    function say(text) { if (status) status.textContent = text; }

    function place(latlng) {
      var point = L.latLng(latlng).wrap();
      lat.value = point.lat.toFixed(6);
      lng.value = point.lng.toFixed(6);
      if (!marker) {
        marker = L.marker(point, { alt: box.getAttribute("data-marker-label"), keyboard: false }).addTo(map);
      } else {
        marker.setLatLng(point);
      }
      say(box.getAttribute("data-pin-set").replace("{lat}", lat.value).replace("{lng}", lng.value));
    }

    if (hasPin) place([parseFloat(lat.value), parseFloat(lng.value)]);
    map.on("click", function (event) { place(event.latlng); });
    wrap.querySelector("[data-map-pin-centre]").addEventListener("click", function () {
      place(map.getCenter());
    });
    wrap.querySelector("[data-map-pin-remove]").addEventListener("click", function () {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = "";
      lng.value = "";
      say(box.getAttribute("data-pin-removed"));
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
