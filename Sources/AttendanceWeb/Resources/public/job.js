// Keeps a job's page current without a reload: asks for the page again every 1.5 s while the job runs, shows its
// new progress, and goes on to the result (the batch) once the server sends the job's page there.
(function () {
  "use strict";
  function ask() {
    var job = document.getElementById("job");
    if (!job || !job.hasAttribute("data-running")) return;
    fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected) {
          location.href = response.url;
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("job");
        if (next) job.replaceWith(next);
        setTimeout(ask, 1500);
      })
      .catch(function () { setTimeout(ask, 5000); });
  }
  setTimeout(ask, 1500);
})();
