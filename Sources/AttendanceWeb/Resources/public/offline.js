// Registers taken without a connection (issue 37). The register form is sent by this script, with a key for the
// save and the time it was made on this device. When the server cannot be reached the save is kept on the device
// (localStorage), the page says "saved on this device, not yet sent", and it is sent as soon as the server answers
// again. The server writes a key once, so a save sent twice (its answer lost on the way back) is written once. A
// save the server refuses, or finds in conflict with someone's later change, is shown as the register's own
// answer, as it is when saved online. Signing out removes everything this device holds of registers.
(function () {
  "use strict";
  var QUEUE = "attendance-unsent-saves";
  var status = document.getElementById("device-saves");

  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(function () {});

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (error) { return []; }
  }
  function keep(items) {
    if (items.length) localStorage.setItem(QUEUE, JSON.stringify(items)); else localStorage.removeItem(QUEUE);
  }
  function say(text) {
    if (!status) return;
    status.textContent = text || "";
    status.hidden = !text;
  }
  function showQueue() {
    var count = queue().length;
    if (count && status) say(status.dataset.unsent.replace("{count}", String(count)));
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // One save per register waits on the device: a second save of the same register replaces the first's marks and
  // keeps its key (the first may have reached the server with its answer lost).
  function hold(item) {
    var items = queue().filter(function (other) { return other.action !== item.action; });
    items.push(item);
    keep(items);
    showQueue();
  }
  function drop(item) {
    keep(queue().filter(function (other) { return other.key !== item.key; }));
  }

  // The server's answer: "saved" (the list of registers saying so), "signIn" (the session has ended: keep the
  // save until someone signs in again) or "answer" (refused, or in conflict: the register's page says why).
  function outcome(response) {
    var url = new URL(response.url);
    if (response.redirected && url.pathname === "/registers" && url.searchParams.has("saved")) return "saved";
    if (url.pathname === "/sign-in" || response.status === 401 || response.status === 403) return "signIn";
    return "answer";
  }
  function body(item) {
    var fields = new URLSearchParams(item.body);
    // The page's own token: the one the save was made with ends with the session it was made in.
    var token = document.querySelector("input[name=csrf]");
    if (token) fields.set("csrf", token.value);
    return fields;
  }
  function send(item) {
    return fetch(item.action, { method: "POST", body: body(item), credentials: "same-origin" }).then(
      function (response) { return { outcome: outcome(response), url: response.url }; });
  }
  // The register's own answer to a save, as the browser shows a form's: the same save, sent by a form.
  function showAnswer(item) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = item.action;
    form.hidden = true;
    body(item).forEach(function (value, name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    });
    document.body.appendChild(form);
    HTMLFormElement.prototype.submit.call(form);
  }

  var sending = false;
  function flush() {
    var item = queue()[0];
    if (sending || !item) return Promise.resolve();
    sending = true;
    return send(item).then(
      function (result) {
        sending = false;
        if (result.outcome === "signIn") { if (status) say(status.dataset.signIn); return; }
        drop(item);
        if (result.outcome === "answer") { showAnswer(item); return; }
        if (status) say(status.dataset.sent);
        if (queue().length) { showQueue(); return flush(); }
      },
      function () { sending = false; showQueue(); });
  }

  var form = document.querySelector("form.register");
  if (form) {
    form.addEventListener("submit", function (event) {
      // "All present" without the page's script asks the server to fill the form; register.js makes it a button.
      if (event.submitter && event.submitter.name === "fill") return;
      event.preventDefault();
      var action = form.action;
      var waiting = queue().filter(function (other) { return other.action === action; })[0];
      var fields = new URLSearchParams(new FormData(form));
      var item = {
        key: waiting ? waiting.key : newKey(), action: action, madeAt: new Date().toISOString(), label: document.title
      };
      fields.set("save-key", item.key);
      fields.set("made-at", item.madeAt);
      item.body = fields.toString();
      send(item).then(
        function (result) {
          if (result.outcome === "saved") { drop(item); location.assign(result.url); return; }
          if (result.outcome === "signIn") { hold(item); if (status) say(status.dataset.signIn); return; }
          drop(item);
          showAnswer(item);
        },
        function () { hold(item); });
    });
  }

  var signOut = document.querySelector("form.sign-out");
  if (signOut) {
    signOut.addEventListener("submit", function (event) {
      event.preventDefault();
      flush().then(function () {
        if (queue().length && !window.confirm(signOut.dataset.unsent)) return;
        localStorage.removeItem(QUEUE);
        var cleared = window.caches
          ? caches.keys().then(function (names) { return Promise.all(names.map(function (name) { return caches.delete(name); })); })
          : Promise.resolve();
        return cleared.catch(function () {}).then(function () { HTMLFormElement.prototype.submit.call(signOut); });
      });
    });
  }

  showQueue();
  flush();
  window.addEventListener("online", flush);
  setInterval(function () { if (queue().length) flush(); }, 10000);
})();
