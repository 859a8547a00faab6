// The Contacts page: the bookmarklet works from the bookmarks bar, so a click here explains.
(function () {
  "use strict";
  var link = document.querySelector("a[data-bookmarklet]");
  var status = document.getElementById("bookmarklet-status");
  if (!link || !status) {
    return;
  }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    status.textContent =
      "Drag this button to your bookmarks bar, then click it there on a LinkedIn profile.";
  });
})();
