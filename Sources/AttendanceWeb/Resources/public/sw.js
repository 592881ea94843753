// The service worker: the register pages this device has opened, and the files they need, come from the network
// while there is one and from this device's copy when there is not, so that a form tutor whose connection drops can
// still open and take the register (offline.js holds the save until it can be sent). Nothing else is kept, and
// signing out removes the copies (the server's Clear-Site-Data, and offline.js).
"use strict";
var CACHE = "attendance-registers-1";
var FILES = ["/styles.css", "/register.js", "/offline.js"];
// A register ("/registers/LAESTAB/GROUP/DATE/SESSION") and the list of registers.
var PAGES = /^\/registers(\/[^/]+\/[^/]+\/\d{4}-\d{2}-\d{2}\/(AM|PM))?$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(FILES); })
      .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
          return caches.delete(name);
        }));
      })
      .then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var page = request.mode === "navigate" && PAGES.test(url.pathname);
  if (!page && FILES.indexOf(url.pathname) < 0) return;
  event.respondWith(
    fetch(request).then(
      function (response) {
        // Only the page itself: not a sign-in page the register was redirected to, nor a refusal.
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
        }
        return response;
      },
      function (error) {
        return caches.match(request, { ignoreSearch: url.pathname === "/registers" }).then(function (kept) {
          if (kept) return kept;
          throw error;
        });
      }));
});
