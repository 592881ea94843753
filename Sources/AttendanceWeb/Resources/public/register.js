// Enhances the register form; without it the form works as plain HTML.
// Keys on a pupil's row: P or / present, L late (then type the minutes), A or N absent, O other code; in Welsh
// the words' own letters too: H hwyr, R arall (A is absennol). The page's hint names the reader's set.
// After a key the next pupil's row is focused, so a tutor can mark a whole form from the keyboard.
(function () {
  "use strict";
  var form = document.querySelector("form.register");
  if (!form) return;
  form.classList.add("enhanced");
  var keys = {
    p: "present", "/": "present", "\\": "present", l: "late", h: "late", a: "absent", n: "absent", o: "other",
    r: "other"
  };

  function rowOf(element) { return element.closest("tr"); }

  function showDetails(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    var wanted = checked && (checked.value === "late" || checked.value === "other");
    row.classList.toggle("show-details", Boolean(wanted));
    row.classList.toggle("show-late", Boolean(checked && checked.value === "late"));
    row.classList.toggle("show-other", Boolean(checked && checked.value === "other"));
  }

  function focusRow(row) {
    if (!row) return;
    var target = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    if (target) target.focus();
  }

  Array.prototype.forEach.call(form.querySelectorAll("tbody tr"), showDetails);

  // "All present" ticks present for every pupil not yet marked, here on the page: what was already tapped stays.
  // (Without the script the button asks the server to do the same and keeps what was entered.)
  var allPresent = document.getElementById("all-present");
  if (allPresent) {
    allPresent.hidden = false;  // the lesson register's button works only with the script
    // A plain button here, so that Enter in a field still submits the form with Save.
    allPresent.type = "button";
    allPresent.addEventListener("click", function (event) {
      event.preventDefault();
      Array.prototype.forEach.call(form.querySelectorAll("tbody tr"), function (row) {
        if (row.querySelector("input[type=radio]:checked")) return;
        var present = row.querySelector("input[type=radio][value=present]");
        if (present) {
          present.checked = true;
          showDetails(row);
        }
      });
    });
  }
  form.addEventListener("change", function (event) {
    var row = rowOf(event.target);
    if (row) showDetails(row);
  });
  form.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (!target.matches || !target.matches("input[type=radio]")) return;
    var choice = keys[event.key.toLowerCase()];
    if (!choice) return;
    var row = rowOf(target);
    var radio = row.querySelector("input[type=radio][value=" + choice + "]");
    if (!radio) return;
    event.preventDefault();
    radio.checked = true;
    showDetails(row);
    if (choice === "late") {
      row.querySelector("input[type=number]").focus();
    } else if (choice === "other") {
      row.querySelector("select").focus();
    } else {
      var next = row.nextElementSibling;
      while (next && !next.querySelector("input[type=radio]")) next = next.nextElementSibling;
      focusRow(next);
    }
  });
})();
