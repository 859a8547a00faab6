// A restore's progress page: fetch it again every few seconds and put its news in place, so
// the page updates where the reader is (the live region announces it) instead of reloading.
(function () {
  var job = document.getElementById("restore-job");
  if (!job || job.dataset.active !== "yes" || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = Number(job.dataset.refreshSeconds) || 2;

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("restore-job");
        if (!fresh) {
          window.location.reload();
          return;
        }
        job.innerHTML = fresh.innerHTML;
        document.title = page.title;
        if (fresh.dataset.active === "yes") {
          window.setTimeout(poll, seconds * 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, seconds * 1000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
