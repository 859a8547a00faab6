// After a form is sent back with errors, or an action reports back, put keyboard focus
// where the news is, instead of at the top of the page.
(function () {
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  var flashes = document.querySelector(".flashes");
  if (flashes) {
    flashes.setAttribute("tabindex", "-1");
    flashes.focus();
  }
})();
