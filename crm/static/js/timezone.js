// Fill the hidden time-zone field so reminders land on the user's own calendar day.
(function () {
  var field = document.querySelector('input[name="time_zone"]');
  if (field && window.Intl) {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
})();
