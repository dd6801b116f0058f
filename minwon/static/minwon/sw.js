/* Minwon's service worker: a page that says "you are offline" instead of the browser's error.
   Nothing else is cached, so nobody ever sees an old copy of a complaint. */
var CACHE = "minwon-offline-v1";
var OFFLINE_URL = "/offline/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.add(new Request(OFFLINE_URL, { cache: "reload" })); })
  );
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  if (event.request.mode !== "navigate") return;
  event.respondWith(
    fetch(event.request).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE_URL); });
    })
  );
});
