// The Log outreach form without reloads: choosing a template fills the message for this
// person, and the check beside the message follows as you type. The rules live on the
// server (crm/messages/check.py); this script only asks and shows the answer.
// Without JavaScript the "Use template" button and saving do the same through the page.
(function () {
  var form = document.querySelector("form.outreach-form");
  if (!form || !window.fetch) {
    return;
  }
  var template = form.querySelector('[name="template"]');
  var subject = form.querySelector('[name="subject"]');
  var message = form.querySelector('[name="summary"]');
  var useButton = form.querySelector(".use-template");
  var checkBox = document.getElementById("message-check");
  var checkItems = document.getElementById("message-check-items");
  var notes = document.getElementById("template-notes");
  var emailBox = document.getElementById("open-in-email");
  var mailtoLink = document.getElementById("mailto-link");
  var csrf = form.querySelector('[name="csrf_token"]');
  var lastFilled = message.value;
  var timer = null;
  var asked = 0;

  if (useButton) {
    useButton.hidden = true; // choosing a template fills the message straight away
  }

  function showCheck(items) {
    checkItems.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = item.ok ? "check-ok" : "check-todo";
      var mark = document.createElement("span");
      mark.className = "mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = item.ok ? "\u2713" : "\u25cb";
      var said = document.createElement("span");
      said.className = "visually-hidden";
      said.textContent = item.ok ? "Done:" : "To do:";
      var label = document.createElement("strong");
      label.textContent = item.label;
      var detail = document.createElement("small");
      detail.textContent = item.detail;
      li.append(mark, said, " ", label, detail);
      checkItems.append(li);
    });
    checkBox.hidden = items.length === 0;
  }

  function showMailto(href, hasText) {
    emailBox.hidden = !hasText;
    if (mailtoLink) {
      mailtoLink.hidden = !href;
      if (href) {
        mailtoLink.setAttribute("href", href);
      }
    }
  }

  function showNotes(list) {
    notes.textContent = "";
    list.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      notes.append(li);
    });
  }

  function check() {
    var text = message.value;
    if (!text.trim()) {
      showCheck([]);
      showMailto(null, false);
      return;
    }
    var body = new FormData();
    body.append("csrf_token", csrf ? csrf.value : "");
    body.append("message", text);
    body.append("subject", subject.value);
    body.append("template", template.value);
    var mine = ++asked;
    fetch(form.dataset.checkUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && mine === asked) {
          showCheck(data.check);
          showMailto(data.mailto, true);
        }
      })
      .catch(function () {}); // the check comes back on save
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  }

  template.addEventListener("change", function () {
    if (!template.value) {
      return;
    }
    if (message.value.trim() && message.value !== lastFilled &&
        !window.confirm("Replace your message with the template?")) {
      return;
    }
    var url = form.dataset.templateUrl.replace("KIND", encodeURIComponent(template.value));
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        subject.value = data.subject;
        message.value = data.body;
        lastFilled = data.body;
        showNotes(data.notes);
        showCheck(data.check);
        showMailto(data.mailto, true);
      })
      .catch(function () {});
  });
  message.addEventListener("input", later);
  subject.addEventListener("input", later);
})();
